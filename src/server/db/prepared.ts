/**
 * Statements built once per database handle (and per shape) and kept, so that a request only
 * binds its values: building a statement with the query builder costs the API more CPU than
 * PostgreSQL spends running a small one. A transaction is a handle of its own.
 */
import type { DbOrTx } from './client.ts';

export function preparedPer<K, Q>(build: (db: DbOrTx, shape: K) => Q): (db: DbOrTx, shape: K) => Q {
  const byHandle = new WeakMap<DbOrTx, Map<K, Q>>();
  return (db, shape) => {
    let shapes = byHandle.get(db);
    if (!shapes) {
      shapes = new Map();
      byHandle.set(db, shapes);
    }
    let query = shapes.get(shape);
    if (query === undefined) {
      query = build(db, shape);
      shapes.set(shape, query);
    }
    return query;
  };
}
