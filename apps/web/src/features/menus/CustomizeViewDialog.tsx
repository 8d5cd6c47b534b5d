import { useState } from 'react';
import { Dialog } from '../../shared/Dialog';
import { useViewSettings } from './viewSettings';

/**
 * View > Customize...: MMC's Customize View dialog shows or hides parts of the console window
 * with check boxes (its "Console tree" box is named in the MMC SDK's ViewOptions enumeration;
 * the Action pane and status bar boxes are MMC's too, their exact captions here are from memory
 * of the dialog, not from a source). The boxes for toolbars, the description bar and taskpad
 * tabs are left out: this console has none of those.
 */
export function CustomizeViewDialog({ onClose }: { onClose: () => void }) {
  const saved = useViewSettings();
  const [choice, setChoice] = useState({
    consoleTree: saved.consoleTree,
    actionsPane: saved.actionsPane,
    statusBar: saved.statusBar,
  });
  const boxes: { key: keyof typeof choice; caption: string }[] = [
    { key: 'consoleTree', caption: 'Console tree' },
    { key: 'actionsPane', caption: 'Action pane' },
    { key: 'statusBar', caption: 'Status bar' },
  ];
  return (
    <Dialog
      title="Customize View"
      onCancel={onClose}
      width={340}
      buttons={
        <>
          <button
            type="button"
            className="default-button"
            onClick={() => {
              saved.customize(choice);
              onClose();
            }}
          >
            OK
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </>
      }
    >
      {/* Our sentence: the dialog's own text was not found in a source. */}
      <p>Select or clear the check boxes to show or hide items in the console window.</p>
      <ul className="view-choices">
        {boxes.map((box) => (
          <li key={box.key}>
            <label>
              <input
                type="checkbox"
                checked={choice[box.key]}
                onChange={(e) => setChoice({ ...choice, [box.key]: e.target.checked })}
              />{' '}
              {box.caption}
            </label>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
