import { ObjectId } from 'bson';
import { Aggregator, update as mingoUpdate } from 'mingo';
import { bsonEquals } from './bson-order.ts';
import { cloneValue, firstKey, isPlainObject, setPath } from './doc-path.ts';
import { MongoCommandError } from './errors.ts';
import { formatValue } from './format-value.ts';
import { applyFastUpdate, type FieldOp, parseFastUpdate, tryFastUpdate } from './update-fast.ts';
import type { Document } from './wire.ts';

export type UpdateOptions = {
  arrayFilters?: Document[];
  query?: Document;
  inserting?: boolean;
  /**
   * One object for every document a statement updates (`multi`, a claim's updateMany): the
   * operator document is split and parsed for the first and reused for the rest.
   */
  reuse?: { operators?: Operators };
};

/** An operator update split into what applyUpdate applies (see UpdateOptions.reuse). */
export type Operators = {
  modifier: Document;
  onInsert: Document | undefined;
  /** parseFastUpdate(modifier), once asked for; null when not yet. */
  fields: FieldOp[] | undefined | null;
};

export function isOperatorUpdate(u: unknown): u is Document {
  return isPlainObject(u) && firstKey(u)?.startsWith('$') === true;
}

function fromMingo(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const msg = (err as Error).message ?? String(err);
  if (/immutable field/.test(msg)) return new MongoCommandError('ImmutableField', msg, {}, err);
  if (/would create a conflict/.test(msg))
    return new MongoCommandError('ConflictingUpdateOperators', msg, {}, err);
  if (/Unknown update operator/.test(msg)) return new MongoCommandError('FailedToParse', msg, {}, err);
  if (/non-numeric|numeric/.test(msg)) return new MongoCommandError('TypeMismatch', msg, {}, err);
  return new MongoCommandError('BadValue', msg, {}, err);
}

/**
 * Applies an update (operators, a replacement or a pipeline) to a copy of `doc`: the stored document
 * is never touched, so a failed update leaves nothing half-done and cursors keep their snapshot.
 */
export function applyUpdate(
  doc: Document,
  update: unknown,
  opts: UpdateOptions = {},
): { doc: Document; changed: boolean } {
  if (Array.isArray(update)) return applyPipeline(doc, update as Document[]);
  if (!isPlainObject(update))
    throw new MongoCommandError('FailedToParse', 'Update argument must be either an object or an array');
  if (!isOperatorUpdate(update)) return applyReplacement(doc, update);
  // A shallow copy: the fast path copies what it changes; mingo, which writes anywhere, gets a deep one.
  let next: Document = { ...doc };
  const ops = opts.reuse?.operators ?? operators(update, opts.reuse);
  const modifier = ops.modifier;
  let onInsert = ops.onInsert;
  // Setting _id to the value it already has is allowed by MongoDB (and an upsert may set it first);
  // mingo refuses any update path on _id, so those are taken out here.
  for (const src of [modifier.$set, opts.inserting ? onInsert : undefined] as (Document | undefined)[]) {
    if (!src || !('_id' in src)) continue;
    if (next._id === undefined && opts.inserting) next._id = cloneValue(src._id);
    if (bsonEquals(src._id, next._id)) {
      const { _id, ...rest } = src;
      if (src === modifier.$set) modifier.$set = rest;
      else onInsert = rest;
    }
  }
  checkOperandTypes(next, modifier);
  let changed = false;
  try {
    if (Object.keys(modifier).length > 0) {
      const fields = opts.arrayFilters ? undefined : fastFields(ops);
      const fast = fields && applyFastUpdate(next, fields);
      if (fast !== undefined) changed = fast;
      else {
        next = cloneValue(next);
        // mingo needs the query only to resolve the positional `$` operator; it re-matches it.
        const positional = Object.values(modifier).some(
          (a) => isPlainObject(a) && Object.keys(a).some((k) => k.includes('$')),
        );
        const condition = positional ? opts.query : undefined;
        const created = seedPushTargets(next, modifier);
        changed =
          mingoUpdate(next, modifier as never, opts.arrayFilters, condition as never, { cloneMode: 'deep' })
            .length > 0 || created;
      }
    }
    if (opts.inserting && onInsert && Object.keys(onInsert).length > 0) {
      let fast = tryFastUpdate(next, { $set: onInsert });
      if (fast === undefined) {
        next = cloneValue(next);
        fast =
          mingoUpdate(next, { $set: onInsert } as never, undefined, undefined, { cloneMode: 'deep' }).length >
          0;
      }
      changed = fast || changed;
    }
  } catch (err) {
    throw fromMingo(err);
  }
  if (!opts.inserting && !bsonEquals(next._id, doc._id)) {
    throw new MongoCommandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { doc: next, changed };
}

function operators(update: Document, reuse?: { operators?: Operators }): Operators {
  const modifier: Document = {};
  let onInsert: Document | undefined;
  for (const op in update) {
    const arg = update[op];
    if (!op.startsWith('$')) {
      throw new MongoCommandError(
        'FailedToParse',
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (op === '$setOnInsert') onInsert = arg as Document;
    else if (!(isPlainObject(arg) && Object.keys(arg).length === 0)) modifier[op] = arg;
  }
  const ops: Operators = { modifier, onInsert, fields: null };
  // Not when a `$set` or `$setOnInsert` names `_id`: applyUpdate adjusts those per document.
  const namesId = (d: unknown) => isPlainObject(d) && '_id' in d;
  if (reuse && !namesId(modifier.$set) && !namesId(onInsert)) reuse.operators = ops;
  return ops;
}

function fastFields(ops: Operators): FieldOp[] | undefined {
  if (ops.fields === null) ops.fields = parseFastUpdate(ops.modifier);
  return ops.fields;
}

const NUMERIC_OPS = new Set(['$inc', '$mul']);
const ARRAY_OPS = new Set(['$push', '$addToSet', '$pop', '$pull', '$pullAll']);

function valueAt(doc: Document, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[part];
  }
  return cur;
}

function bsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof Date) return 'date';
  if (isPlainObject(v)) return 'object';
  return (v as { _bsontype?: string })?._bsontype?.toLowerCase() ?? typeof v;
}

const CREATING_OPS = new Set([
  '$set',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$currentDate',
  '$setOnInsert',
]);

/** MongoDB refuses to create a field inside a non-document (`lock: null` then `$set: {'lock.owner': …}`). */
function checkPathViable(doc: Document, op: string, path: string): void {
  // A top-level field has no parent to check.
  if (!CREATING_OPS.has(op) || !path.includes('.') || path.includes('$')) return;
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const v = (cur as Document)[parts[i]!];
    if (v === undefined || Array.isArray(v)) return;
    if (!isPlainObject(v)) {
      throw new MongoCommandError(
        'PathNotViable',
        `Cannot create field '${parts[i + 1]}' in element {${parts[i]}: ${formatValue(v)}}`,
      );
    }
    cur = v;
  }
}

// mingo silently skips $inc on a non-number and $push on a non-array; MongoDB fails the update.
function checkOperandTypes(doc: Document, modifier: Document): void {
  for (const [op, arg] of Object.entries(modifier)) {
    if (isPlainObject(arg)) for (const path of Object.keys(arg)) checkPathViable(doc, op, path);
    if (!isPlainObject(arg) || (!NUMERIC_OPS.has(op) && !ARRAY_OPS.has(op))) continue;
    for (const path of Object.keys(arg)) {
      if (path.includes('$')) continue;
      const cur = valueAt(doc, path);
      if (cur === undefined) continue;
      const idText = `{_id: ${JSON.stringify(doc._id ?? null)}}`;
      if (
        NUMERIC_OPS.has(op) &&
        typeof cur !== 'number' &&
        !['long', 'decimal128', 'double', 'int32'].includes(bsonTypeName(cur))
      ) {
        throw new MongoCommandError(
          'TypeMismatch',
          `Cannot apply ${op} to a value of non-numeric type. ${idText} has the field '${path}' of non-numeric type ${bsonTypeName(cur)}`,
        );
      }
      if (ARRAY_OPS.has(op) && !Array.isArray(cur)) {
        throw new MongoCommandError(
          'BadValue',
          `The field '${path}' must be an array but is of type ${bsonTypeName(cur)} in document ${idText}`,
        );
      }
    }
  }
}

// mingo applies $push's $sort/$slice/$position only to an existing array; MongoDB applies them to a
// new one too (`{$each: [3, 1, 2], $sort: 1}` on a missing field gives [1, 2, 3]). Starting from an
// empty array makes mingo take its existing-array path.
function seedPushTargets(doc: Document, modifier: Document): boolean {
  const push = modifier.$push;
  if (!isPlainObject(push)) return false;
  let created = false;
  for (const [path, spec] of Object.entries(push)) {
    if (path.includes('$') || !isPlainObject(spec) || !('$each' in spec)) continue;
    if (valueAt(doc, path) !== undefined) continue;
    const parts = path.split('.');
    let cur: Document = doc;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      if (cur[part] === undefined) cur[part] = {};
      if (!isPlainObject(cur[part])) {
        ok = false;
        break;
      }
      cur = cur[part] as Document;
    }
    if (!ok) continue;
    cur[parts[parts.length - 1]!] = [];
    created = true;
  }
  return created;
}

function applyReplacement(doc: Document, replacement: Document): { doc: Document; changed: boolean } {
  if ('_id' in replacement && doc._id !== undefined && !bsonEquals(replacement._id, doc._id)) {
    throw new MongoCommandError(
      'ImmutableField',
      "After applying the update, the (immutable) field '_id' was found to have been altered",
    );
  }
  const { _id, ...rest } = replacement;
  const next: Document =
    doc._id !== undefined ? { _id: doc._id, ...cloneValue(rest) } : cloneValue(replacement);
  return { doc: next, changed: !bsonEquals(next, doc) };
}

function applyPipeline(doc: Document, pipeline: Document[]): { doc: Document; changed: boolean } {
  let out: Document[];
  try {
    out = new Aggregator(pipeline, {}).run([cloneValue(doc)]) as Document[];
  } catch (err) {
    throw fromMingo(err);
  }
  const next = out[0] ?? {};
  if (!bsonEquals(next._id, doc._id)) {
    throw new MongoCommandError(
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { doc: next, changed: !bsonEquals(next, doc) };
}

/** Equality fields of a query, which an upsert copies into the new document (MongoDB does the same). */
export function seedFromQuery(query: Document, out: Document = {}): Document {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) if (isPlainObject(sub)) seedFromQuery(sub, out);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      if (keys.length > 0 && keys.every((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(out, k, cloneValue(v.$eq));
        // A one-element $in is an equality for upsert seeding too.
        else if (Array.isArray(v.$in) && v.$in.length === 1) setPath(out, k, cloneValue(v.$in[0]));
        continue;
      }
    }
    setPath(out, k, cloneValue(v));
  }
  return out;
}

/**
 * The upsert that is an insert unless the `_id` exists (`{_id: v}`, `{$setOnInsert: {top-level
 * fields}}`, as the SMSC writes its receipts): the fields are this command's own freshly decoded
 * values, owned by nobody else, so they are stored as they are instead of copied one by one.
 * Undefined for any other shape.
 */
function insertByUpsert(query: Document, update: unknown): Document | undefined {
  if (!isPlainObject(update)) return undefined;
  let ops = 0;
  for (const op in update) if (++ops > 1 || op !== '$setOnInsert') return undefined;
  const fields = update.$setOnInsert;
  if (!isPlainObject(fields)) return undefined;
  let keys = 0;
  for (const k in query) if (++keys > 1 || k !== '_id') return undefined;
  const id = query._id;
  if (id === undefined || Array.isArray(id) || (isPlainObject(id) && firstKey(id)?.startsWith('$')))
    return undefined;
  for (const k in fields)
    if (k === '_id' || k === '' || k.startsWith('$') || k.includes('.')) return undefined;
  return { _id: id, ...fields };
}

/** The document an upsert inserts: query equalities, then the update (with $setOnInsert), _id first. */
export function buildUpsert(query: Document, update: unknown, arrayFilters?: Document[]): Document {
  const direct = insertByUpsert(query, update);
  if (direct) return direct;
  let doc: Document;
  if (isOperatorUpdate(update) || Array.isArray(update)) {
    const seed = seedFromQuery(query);
    doc = applyUpdate(seed, update, { arrayFilters, inserting: true }).doc;
  } else {
    const seed = seedFromQuery(query);
    doc = cloneValue(update as Document);
    if (!('_id' in doc) && seed._id !== undefined) doc = { _id: seed._id, ...doc };
  }
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] !== '_id') {
    const { _id, ...rest } = doc;
    return { _id, ...rest };
  }
  return doc;
}
