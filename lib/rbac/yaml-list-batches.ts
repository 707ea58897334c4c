/**
 * A large `List` document (`kubectl get ... -o yaml`) parsed a batch of items at a time. Parsed
 * whole, a document keeps its parser's state for every item alive until the end (js-yaml builds the
 * whole document's event list before the objects), so the garbage collector copies and promotes
 * all of it; a few dozen items at a time die young, which saves about a fifth of the parse. The
 * result is the document as parsed whole: anything this cannot take is left to the caller's
 * whole-document parse, which also reports errors with their lines. Pure.
 */
import { isJsonObject } from './private/json-object';
import { ListItems, YamlChunk } from './yaml-chunks';

/** How many `items` entries are parsed at once; a List with no more than this is parsed whole. */
export const LIST_BATCH = 50;

/**
 * Parses `chunk` with `load` as it would parse it whole, but its `items` entries (found by
 * `listItems`) {@link LIST_BATCH} at a time: the document without its entries first (its `items:`
 * then reads as null), then each batch of entries as a sequence of its own.
 * @param chunk the document
 * @param items its `items` entries, as `listItems` found them
 * @param load parses one document (js-yaml's `load`, with the caller's options)
 * @returns the document with its items, or `undefined` when it is not taken here: no more than a
 *   batch of entries, any part that `load` rejects (an error, or an alias into another part), a
 *   batch that does not parse into exactly its entries, or the rest not a mapping whose `items`
 *   is empty. The caller then parses the document whole.
 */
export function loadListInBatches(chunk: YamlChunk, items: ListItems, load: (text: string) => unknown): Record<string, unknown> | undefined {
  const { offsets, keyEnd, end } = items;
  if (offsets.length <= LIST_BATCH) return undefined;
  const text = chunk.text;
  try {
    const document = load(text.slice(0, keyEnd) + text.slice(end));
    if (!isJsonObject(document) || document.items !== null) return undefined;
    const all: unknown[] = [];
    for (let i = 0; i < offsets.length; i += LIST_BATCH) {
      const j = Math.min(i + LIST_BATCH, offsets.length);
      const batch = load(text.slice(offsets[i], j < offsets.length ? offsets[j] : end));
      if (!Array.isArray(batch) || batch.length !== j - i) return undefined;
      for (const item of batch) all.push(item);
    }
    document.items = all;
    return document;
  } catch {
    return undefined;
  }
}
