/**
 * The client statuses, in the order of the `client_status` enum. A module of its own, free of
 * drizzle, so browser code (the kanban) can import the values without pulling the ORM and the
 * schema into its bundle; db/schema.ts builds the enum from it.
 */
export const CLIENT_STATUS_VALUES = ['new', 'in_progress', 'waiting', 'resolved', 'blocked'] as const;
