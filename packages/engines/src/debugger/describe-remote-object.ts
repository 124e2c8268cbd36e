import type inspector from 'node:inspector';
import { truncateValue } from './backend-state.ts';

type RemoteObject = inspector.Runtime.RemoteObject;

/**
 * Renders a DevTools `RemoteObject` the way a person reads it: strings quoted, objects with their preview
 * (`{ a: 1, b: 'x' }`, `[1, 2, 3]`), always bounded.
 *
 * @example describeRemoteObject({ type: 'number', value: 3, description: '3' }) // => '3'
 */
export function describeRemoteObject(object: RemoteObject): string {
  if (object.type === 'string') return truncateValue(JSON.stringify(object.value));
  if (object.type === 'undefined') return 'undefined';
  if (object.unserializableValue !== undefined) return object.unserializableValue;
  if (object.type !== 'object' && object.type !== 'function') {
    return truncateValue(object.description ?? String(object.value));
  }
  if (object.subtype === 'null') return 'null';
  const preview = object.preview;
  if (object.type === 'function') {
    // A function's description is its whole source; its signature is what tells it apart.
    return truncateValue(`ƒ ${(object.description ?? 'function').split('\n')[0]?.replace(/\s*\{\s*$/, '')}`);
  }
  if (!preview) return truncateValue(object.description ?? object.type);
  const entries = preview.properties.map((property) => {
    const value =
      property.type === 'string'
        ? JSON.stringify(property.value)
        : property.type === 'function'
          ? 'ƒ'
          : (property.value ?? property.type);
    return preview.subtype === 'array' ? value : `${property.name}: ${value}`;
  });
  const more = preview.overflow ? ', …' : '';
  const body =
    preview.subtype === 'array'
      ? `[${entries.join(', ')}${more}]`
      : `{ ${entries.join(', ')}${more} }`.replace('{  }', '{}');
  const prefix =
    object.className && object.className !== 'Object' && object.className !== 'Array'
      ? `${object.className} `
      : '';
  return truncateValue(`${prefix}${body}`);
}

/**
 * Whether an object has children worth a `variablesReference`.
 *
 * @example isExpandable({ type: 'object', subtype: 'array', objectId: '1' }) // => true
 */
export function isExpandable(object: RemoteObject): boolean {
  return (object.type === 'object' && object.subtype !== 'null' && object.objectId !== undefined) || false;
}
