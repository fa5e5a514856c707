namespace CowGuard.VmModel;

/// <summary>One page a GUP handle or pipe buffer holds a reference on: the folio and the subpage.</summary>
internal readonly record struct PageRef(Folio Folio, int Index);
