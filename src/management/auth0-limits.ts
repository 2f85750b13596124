/** Auth0 pages through the first 1000 results only; usergate answers that before calling upstream. */
export const PAGING_CAP = 1000;
/** The largest `per_page` Auth0 accepts on its list endpoints. */
export const MAX_PER_PAGE = 100;
