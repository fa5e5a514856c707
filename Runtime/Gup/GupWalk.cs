namespace CowGuard.VmModel;

/// <summary>Which GUP walk runs: __get_user_pages on current->mm, gup_fast with fall-back, or on another mm.</summary>
internal enum GupWalk
{
    Slow,
    Fast,
    Remote,
}
