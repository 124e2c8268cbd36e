export function shout(name, times = 2) { return name.toUpperCase().repeat(times); }
export function total(items) { return items.reduce((a, b) => a + b, 0); }
