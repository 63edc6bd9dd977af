/**
 * Cards a kanban column loads at a time: the first page with the board, then one per "load more".
 * A column shows fewer than ten cards on a laptop screen; each card costs the server's render and
 * the page's HTML (bench:dashboard: 30 cards per column made a 335 kB document). Not in the
 * board's own module: that is a client module, and the server page needs the value itself.
 */
export const KANBAN_PAGE_SIZE = 20;
