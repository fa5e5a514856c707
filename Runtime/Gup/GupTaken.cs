namespace CowGuard.VmModel;

/// <summary>
/// What one GUP walk took: the pages from the start address up to the first that could not be taken, and the error the
/// walk stopped on there (null when it took every page asked for).
/// </summary>
/// <param name="Pages">The pages taken, in address order, in the first <paramref name="Count"/> entries (the array
/// comes from <see cref="PageRefArrays"/> and may be longer).</param>
/// <param name="Count">How many pages were taken (at least one).</param>
/// <param name="StoppedBy">Why the walk stopped early, or null.</param>
internal readonly record struct GupTaken(PageRef[] Pages, int Count, VmException? StoppedBy);
