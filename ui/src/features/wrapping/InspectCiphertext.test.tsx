import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { InspectCiphertext } from "./InspectCiphertext";

const KNOWN_ENVELOPE =
  "U1IBDVwvHno7TJ2OHyo7TF1uf6Gio6SlpqeoqaqrrGStxS22F3wtzDzwMhaAjjEg1WhtNQcWxaDddRImWiWU17GGFN76C4zBu8ShXtZVWg==";

describe("InspectCiphertext", () => {
  it("names the key version of a pasted envelope and explains what it cannot read", async () => {
    const user = userEvent.setup();
    render(<InspectCiphertext />);
    const field = screen.getByLabelText("Ciphertext (base64)");

    await user.click(field);
    await user.paste(KNOWN_ENVELOPE);
    expect(screen.getByText("0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f")).toBeInTheDocument();
    expect(screen.getByText("32 bytes")).toBeInTheDocument();

    await user.clear(field);
    await user.paste("eyJub3QiOiAic3Ryb25ncm9vbSJ9");
    expect(screen.getByText("Not a Strongroom envelope")).toBeInTheDocument();
    expect(screen.queryByText("0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f")).toBeNull();

    await user.clear(field);
    await user.paste("%%%");
    expect(screen.getByText("Not base64")).toBeInTheDocument();
  });
});
