namespace CowGuard.VmModel;

/// <summary>How a page-reference API holds the pages it returns: the two reference disciplines of mm/gup.c.</summary>
public enum PageReferenceKind
{
    /// <summary>FOLL_GET: a plain page reference (get_page), released with put_page.</summary>
    Get,

    /// <summary>FOLL_PIN: a DMA pin (GUP_PIN_COUNTING_BIAS / folio pincount), released with unpin_user_page(s).</summary>
    Pin,
}
