/** A localStorage / sessionStorage double that enumerates its keys as the real ones do (Object.keys). */
export function fakeStorage(): Record<string, string> {
  const area: Record<string, string> = {};
  Object.defineProperties(area, {
    getItem: { value: (k: string) => (k in area ? area[k] : null) },
    setItem: { value: (k: string, v: string) => void (area[k] = String(v)) },
    removeItem: { value: (k: string) => void delete area[k] },
  });
  return area;
}
