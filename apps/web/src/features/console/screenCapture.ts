/**
 * Clipboard > Capture Screen of Virtual Machine Connection (Ctrl+C: "Do a screen capture",
 * Microsoft, "Hyper-V Virtual Machine Connection", Keyboard shortcuts; behaviour spec S24).
 * Microsoft's page does not say what goes to the clipboard, and no other source found does:
 * [unverified] that Hyper-V copies a picture of the VM's screen, and in which format and size.
 * A screen capture is taken here to be a picture, not text: for a serial console, a PNG image
 * of the terminal as the window shows it.
 *
 * The picture is made by `html-to-image` (apps/web/README.md says why) from the terminal's own
 * page elements, so it shows the same characters, colours and font as the window.
 */
/** The terminal's background (SerialConsoleScreen's theme), behind the captured characters. */
export const TERMINAL_BACKGROUND = '#000000';

/** A PNG image of `node` as it is shown. */
export async function captureImage(node: HTMLElement): Promise<Blob> {
  // Loaded when first asked for, so that it is not part of the app's first download.
  const { toBlob } = await import('html-to-image');
  const blob = await toBlob(node, {
    backgroundColor: TERMINAL_BACKGROUND,
    // The terminal's fonts are the system's monospace ones: nothing to embed, nothing to fetch.
    skipFonts: true,
  });
  if (blob === null) throw new Error('The screen could not be captured.');
  return blob;
}

/**
 * Puts the image on the clipboard. The image is passed as a promise so that the clipboard is
 * written within the click or key press that asked for it (browsers allow it only then), while
 * the picture is still being made.
 */
export async function copyImageToClipboard(image: Promise<Blob>): Promise<void> {
  if (typeof ClipboardItem === 'undefined' || navigator.clipboard?.write === undefined) {
    // The picture is not wanted any more: its failure, if any, is not reported on its own.
    image.catch(() => undefined);
    throw new Error('This browser cannot put an image on the clipboard.');
  }
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': image })]);
}
