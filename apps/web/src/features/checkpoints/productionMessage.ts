const KEY = 'hvm.hideProductionCheckpointMessage';

/** "Don't show this message again" for the Production checkpoint created message. */
export function isProductionMessageHidden(): boolean {
  try {
    return localStorage.getItem(KEY) === 'true';
  } catch {
    return false;
  }
}

export function setProductionMessageHidden(hidden: boolean): void {
  try {
    if (hidden) localStorage.setItem(KEY, 'true');
    else localStorage.removeItem(KEY);
  } catch {
    // storage unavailable: the message simply shows again next time
  }
}
