/**
 * RFC 4180 reader. An unquoted empty field is NULL; a quoted empty field ("") is the empty string,
 * which is how ecom's CSV export tells them apart.
 */
export function parseCsv(text: string): (string | null)[][] {
  const records: (string | null)[][] = [];
  let record: (string | null)[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let value: string | null;
    if (text[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quoted field at offset ${i}`);
        s += text.slice(i, q);
        if (text[q + 1] === '"') {
          s += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      value = s;
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') j++;
      value = j === i ? null : text.slice(i, j);
      i = j;
    }
    record.push(value);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    records.push(record);
    record = [];
  }
  return records;
}
