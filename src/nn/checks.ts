/**
 * Argument checks at the entry of a network's forward and backward passes. A buffer that is too short would
 * otherwise read `undefined` and turn into a silent NaN deep inside a layer; an action index outside [0, A)
 * would read another row's log-probability. Each check is O(1) or one pass over the actions, allocates nothing
 * unless it throws, and names the argument. These are programming errors (not user input), so RangeError.
 */

export function requireLength(name: string, array: ArrayLike<number>, needed: number): void {
  if (array.length < needed) {
    throw new RangeError(`${name}: holds ${array.length} values, the call needs at least ${needed}`);
  }
}

export function requireActions(name: string, actions: ArrayLike<number>, rows: number, count: number): void {
  requireLength(name, actions, rows);
  for (let n = 0; n < rows; n++) {
    const a = actions[n];
    if (!(a >= 0 && a < count && a === Math.floor(a))) {
      throw new RangeError(`${name}[${n}] = ${a}: an action must be an integer in [0, ${count})`);
    }
  }
}
