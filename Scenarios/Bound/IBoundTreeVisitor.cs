namespace CowGuard.Scenarios.Bound;

/// <summary>
/// A backend of the scenario language: one method per kind of bound node, so a new statement or expression does not
/// compile until every backend (the interpreter over VmModel, the C translator for live kernels) handles it.
/// <typeparamref name="TStatement"/> is what a backend makes of a statement (the value it produced, the C it
/// emits); <typeparamref name="TExpression"/> what it makes of an expression.
/// </summary>
internal interface IBoundTreeVisitor<out TStatement, out TExpression>
{
    TStatement VisitLet(BoundLet node);

    TStatement VisitProcess(BoundProcess node);

    TStatement VisitFork(BoundFork node);

    TStatement VisitExit(BoundExit node);

    TStatement VisitMmap(BoundMmap node);

    TStatement VisitCreateFile(BoundCreateFile node);

    TStatement VisitMunmap(BoundMunmap node);

    TStatement VisitMprotect(BoundMprotect node);

    TStatement VisitMadvise(BoundMadvise node);

    TStatement VisitMremap(BoundMremap node);

    TStatement VisitFill(BoundFill node);

    TStatement VisitSwap(BoundSwap node);

    TStatement VisitKsmMerge(BoundKsmMerge node);

    TStatement VisitClearRefs(BoundClearRefs node);

    TStatement VisitUffdWriteProtect(BoundUffdWriteProtect node);

    TStatement VisitThpEnabled(BoundThpEnabled node);

    TStatement VisitHugetlbPool(BoundHugetlbPool node);

    TStatement VisitGup(BoundGup node);

    TStatement VisitRelease(BoundRelease node);

    TStatement VisitDeviceWrite(BoundDeviceWrite node);

    TStatement VisitVmsplice(BoundVmsplice node);

    TStatement VisitIoUringRegister(BoundIoUringRegister node);

    TStatement VisitIoUringWriteFixed(BoundIoUringWriteFixed node);

    TStatement VisitIoUringUnregister(BoundIoUringUnregister node);

    TStatement VisitSnapshot(BoundSnapshot node);

    TStatement VisitExpect(BoundExpect node);

    TStatement VisitRead(BoundRead node);

    TStatement VisitPipeRead(BoundPipeRead node);

    TStatement VisitDeviceRead(BoundDeviceRead node);

    TStatement VisitFileRead(BoundFileRead node);

    TStatement VisitPagesTaken(BoundPagesTaken node);

    TStatement VisitPageFact(BoundPageFact node);

    TStatement VisitTry(BoundTry node);

    TExpression VisitNumber(BoundNumber node);

    TExpression VisitString(BoundString node);

    TExpression VisitVariable(BoundVariable node);

    TExpression VisitArithmetic(BoundArithmetic node);
}
