/** Quantities are numeric(14,3): arithmetic runs in thousandths, so sums and differences stay exact. */
export function toMilli(quantity: number | string): number {
  return Math.round(Number(quantity) * 1000);
}

export function fromMilli(milli: number): number {
  return milli / 1000;
}

/** A quantity rounded to the three decimals the database keeps. */
export function roundQuantity(quantity: number | string): number {
  return fromMilli(toMilli(quantity));
}

/** `a - b`, exact to the thousandth. */
export function quantityLeft(a: number | string, b: number | string): number {
  return fromMilli(toMilli(a) - toMilli(b));
}
