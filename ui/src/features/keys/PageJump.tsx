import { TextInput } from "@carbon/react";
import { useState } from "react";

export interface PageSelectProps {
  currentPage: number;
  totalPages: number;
  pageSelectLabelText: string;
  onSetPage: (page: number | string) => void;
}

/** A page number field; Carbon clamps what it is given to 1…totalPages. */
export function PageJump({ currentPage, pageSelectLabelText, onSetPage }: PageSelectProps) {
  const [text, setText] = useState(String(currentPage));
  const commit = () => {
    const page = Number(text.trim());
    if (Number.isInteger(page) && page !== currentPage) onSetPage(page);
    else setText(String(currentPage));
  };
  return (
    <TextInput
      id="key-table-page"
      className="key-table__page-jump"
      labelText={pageSelectLabelText}
      hideLabel
      size="sm"
      inputMode="numeric"
      value={text}
      onChange={(event) => setText(event.target.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === "Enter") commit();
      }}
    />
  );
}
