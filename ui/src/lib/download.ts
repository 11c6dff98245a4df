/**
 * Offers text as a file through the browser's download, so nothing is written without the
 * person choosing where.
 */
export function offerDownload(fileName: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: some engines start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
