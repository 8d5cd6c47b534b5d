import { useId, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import './inlineRenameBox.css';

/** What the box asks of the caller's rename mutation: try once, then say how it went. */
export interface RenameCallbacks {
  onSuccess: () => void;
  onError: (error: unknown) => void;
}

export interface InlineRenameBoxProps {
  /** The name before the rename: the box starts with it, and keeping it ends the rename. */
  name: string;
  /** The text box's accessible name ("Virtual machine name", "Checkpoint name"). */
  label: string;
  /** Hyper-V's rule for the new name: the problem to show, or null. */
  validate: (name: string) => string | null;
  /** Whether a rename sent by this box is still on its way (a second Enter sends nothing). */
  pending: boolean;
  /** Sends the rename. */
  rename: (name: string, callbacks: RenameCallbacks) => void;
  /** The first sentence of the message when the server refuses ("The checkpoint could not be renamed."). */
  failure: string;
  /** Ends the rename (after success, Esc, or an unchanged name). */
  onDone: () => void;
}

/**
 * Rename in place, as in Hyper-V Manager's lists and trees: Enter commits, Esc cancels; a name
 * the rule refuses, or the server's refusal, shows below the box and the box stays open. As a
 * Windows label edit (the list-view and tree-view controls end an edit with the new text when
 * they lose the focus, LVN_ENDLABELEDIT / TVN_ENDLABELEDIT), a click elsewhere commits too.
 * When the rename ends from the keyboard, the focus goes back to the row or tree item that holds
 * the box, so that arrows, F2, Delete and Shift+F10 go on working there.
 */
export function InlineRenameBox({
  name,
  label,
  validate,
  pending,
  rename,
  failure,
  onDone,
}: InlineRenameBoxProps) {
  const [value, setValue] = useState(name);
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();
  const boxRef = useRef<HTMLSpanElement>(null);
  const ended = useRef(false);

  /** Ends the rename; gives the focus back to the item holding the box if the box had it. */
  const finish = () => {
    ended.current = true;
    const box = boxRef.current;
    const owner = box?.parentElement?.closest<HTMLElement>('[tabindex]') ?? null;
    const hadFocus = box?.contains(document.activeElement) ?? false;
    if (hadFocus && owner) owner.focus({ preventScroll: true });
    onDone();
  };

  const commit = () => {
    if (pending || ended.current) return;
    if (value === name) {
      finish();
      return;
    }
    const invalid = validate(value);
    if (invalid) {
      setProblem(invalid);
      return;
    }
    setProblem(null);
    rename(value, {
      onSuccess: () => finish(),
      onError: (error) => setProblem(`${failure} ${errorMessage(error)}`),
    });
  };

  return (
    <span ref={boxRef} className="rename-box" onClick={(e) => e.stopPropagation()}>
      <input
        type="text"
        aria-label={label}
        aria-invalid={problem !== null}
        aria-describedby={problem ? errorId : undefined}
        value={value}
        autoFocus
        onFocus={(e) => e.currentTarget.select()}
        onBlur={() => {
          // A click elsewhere: commit (a refused name keeps the box open with its reason).
          if (!ended.current) commit();
        }}
        onChange={(e) => {
          setValue(e.target.value);
          setProblem(null);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          } else if (e.key === 'Escape') {
            e.preventDefault();
            finish();
          }
        }}
      />
      {problem && (
        <span id={errorId} role="alert" className="rename-error">
          {problem}
        </span>
      )}
    </span>
  );
}
