import type { ObjectId } from 'mongodb';

/** Schemaless test documents, as the driver's default collection type but with any `_id`. */
// biome-ignore lint/suspicious/noExplicitAny: test documents carry arbitrary fields.
export type Doc = { _id?: number | string | ObjectId; [key: string]: any };
