import React, { useState } from 'react';

/** Shows a counter. */
export default function Widget({ start }: { start: number }) {
  const [count, setCount] = useState(start);
  return <button onClick={() => setCount(count + 1)}>{count > 0 ? count : 'none'}</button>;
}
