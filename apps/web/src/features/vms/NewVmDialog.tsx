import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { guestImagesQuery } from '../../api/guests';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { useCreateVm } from './useVmMutations';
import { useSingleFlight } from '../../shared/useSingleFlight';
import './vms.css';

export const BLANK_DISK_CAPTION = 'Blank disk (no operating system)';

/** New > Virtual Machine...: name, generation, startup memory and the Quick Create gallery. */
export function NewVmDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const selectVm = useUiStore((s) => s.selectVm);
  const create = useCreateVm();
  const flight = useSingleFlight(create.isPending);
  const [name, setName] = useState('New Virtual Machine');
  const [generation, setGeneration] = useState<1 | 2>(2);
  const [memory, setMemory] = useState('1024');
  const [problem, setProblem] = useState<string | null>(null);
  const [image, setImage] = useState<string | null>(null);
  const gallery = useQuery(guestImagesQuery());
  const galleryId = useId();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const memoryMB = Number(memory);
    if (name.trim() === '' || [...name].length > 100) {
      setProblem('The name must be 1 to 100 characters long.');
      return;
    }
    if (!Number.isInteger(memoryMB) || memoryMB < 32) {
      setProblem('Startup memory must be a whole number of megabytes, at least 32 MB.');
      return;
    }
    setProblem(null);
    flight.start(() =>
      create
        .mutateAsync({ name, generation, memoryStartupMB: memoryMB, guestImage: image })
        .then((vm) => {
          selectVm(vm.id);
          close();
        }),
    );
  };

  return (
    <Dialog
      title="New Virtual Machine Wizard"
      onCancel={close}
      width={620}
      buttons={
        <>
          <button
            type="submit"
            form="new-vm-form"
            className="default-button"
            disabled={flight.busy}
          >
            Finish
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </>
      }
    >
      <form id="new-vm-form" className="form" onSubmit={submit}>
        <label className="field">
          <span>Name:</span>
          <input
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-autofocus
          />
        </label>
        <fieldset className="field-group">
          <legend>Generation</legend>
          <label className="check">
            <input
              type="radio"
              name="generation"
              checked={generation === 1}
              onChange={() => setGeneration(1)}
            />
            Generation 1
          </label>
          <label className="check">
            <input
              type="radio"
              name="generation"
              checked={generation === 2}
              onChange={() => setGeneration(2)}
            />
            Generation 2
          </label>
        </fieldset>
        <label className="field">
          <span>Startup memory (MB):</span>
          <input
            type="number"
            min={32}
            step={1}
            value={memory}
            onChange={(e) => setMemory(e.target.value)}
          />
        </label>
        <fieldset className="field-group gallery">
          <legend id={`${galleryId}-legend`}>Operating system</legend>
          <div className="gallery-list" role="radiogroup" aria-labelledby={`${galleryId}-legend`}>
            <label className={`gallery-item${image === null ? ' chosen' : ''}`}>
              <input
                type="radio"
                name={`${galleryId}-image`}
                checked={image === null}
                onChange={() => setImage(null)}
              />
              <span className="gallery-text">
                <span className="gallery-caption">{BLANK_DISK_CAPTION}</span>
                <span className="gallery-description">
                  A new empty virtual hard disk; the virtual machine starts without an operating
                  system.
                </span>
              </span>
            </label>
            {(gallery.data ?? []).map((g) => (
              <label key={g.name} className={`gallery-item${image === g.name ? ' chosen' : ''}`}>
                <input
                  type="radio"
                  name={`${galleryId}-image`}
                  checked={image === g.name}
                  onChange={() => setImage(g.name)}
                />
                <span className="gallery-text">
                  <span className="gallery-caption">{g.caption}</span>
                  <span className="gallery-description">
                    {g.os}
                    {g.application ? ` · ${g.application}` : ''}
                    {g.integrationServices ? '' : ' · no integration services'}
                  </span>
                  <span className="gallery-description">{g.description}</span>
                </span>
              </label>
            ))}
          </div>
          {gallery.isPending && <p className="explain">Loading the gallery...</p>}
          <ErrorSummary
            summary="The gallery could not be loaded; a blank disk can still be created."
            error={gallery.error}
          />
        </fieldset>
        {problem && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        <ErrorSummary summary="The virtual machine could not be created." error={create.error} />
      </form>
    </Dialog>
  );
}
