import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv";

/** A small RFC 4180 reader, so the tests check what a spreadsheet would read back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charAt(i);
    if (quoted) {
      if (char === '"' && text.charAt(i + 1) === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text.charAt(i + 1) === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 1;
    } else {
      field += char;
    }
  }
  return rows;
}

describe("csvField", () => {
  it("leaves plain text alone", () => {
    expect(csvField("kms.secrets.wrap")).toBe("kms.secrets.wrap");
  });

  it("quotes commas, doubles quotes and keeps line breaks inside quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("cr\r\nlf")).toBe('"cr\r\nlf"');
  });

  it("turns what a spreadsheet would run as a formula into text", () => {
    expect(csvField("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-2")).toBe("'-2");
  });
});

describe("toCsv", () => {
  it("round-trips awkward fields through an RFC 4180 reader", () => {
    const rows = [
      ["1", "a, b", 'quote " inside'],
      ["2", "two\nlines", ""],
    ];
    const text = toCsv(["seq", "first", "second"], rows);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([["seq", "first", "second"], ...rows]);
  });
});
