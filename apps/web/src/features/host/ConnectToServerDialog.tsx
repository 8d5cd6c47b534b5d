import { useQueryClient } from '@tanstack/react-query';
import type { HostProbe } from '@hvm/contracts';
import { useId, useState } from 'react';
import { connectToServer, hostsKey, probeServer } from '../../api/hosts';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useSelectHost } from './useSelectHost';
import { useUiStore } from '../../stores/uiStore';
import { CredentialFields } from '../../shared/CredentialFields';

type Step = 'address' | 'fingerprint' | 'credentials';

/**
 * Connect to Server...: Hyper-V Manager's "Select Computer" (Another computer: name), then, as SSH
 * asks at a first connection, the certificate fingerprint the server shows for the user to
 * confirm, then the user name and password of an account of that server (sent to it only once it
 * showed the confirmed fingerprint; the console keeps the token the server issues, not the password).
 */
export function ConnectToServerDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const select = useSelectHost();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('address');
  const [address, setAddress] = useState('');
  const [shown, setShown] = useState<HostProbe | null>(null);
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const formId = useId();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    if (step === 'address') {
      if (address.trim() === '') {
        setError(new Error('Type the name or address of the server.'));
        return;
      }
      setPending(true);
      probeServer(address.trim()).then(
        (probe) => {
          setPending(false);
          setShown(probe);
          setStep('fingerprint');
        },
        (failure: unknown) => {
          setPending(false);
          setError(failure);
        },
      );
      return;
    }
    if (step === 'fingerprint') {
      setStep('credentials');
      return;
    }
    if (shown === null) return;
    if (userName.trim() === '') {
      setError(new Error('Type a user name.'));
      return;
    }
    setPending(true);
    connectToServer({
      address: shown.address,
      fingerprint: shown.fingerprint,
      userName: userName.trim(),
      password,
    }).then(
      (host) => {
        setPending(false);
        void queryClient.invalidateQueries({ queryKey: hostsKey });
        select(host.id);
        close();
      },
      (failure: unknown) => {
        setPending(false);
        setPassword('');
        setError(failure);
      },
    );
  };

  const name = shown?.computerName ?? address.trim();
  return (
    <Dialog
      title={step === 'address' ? 'Select Computer' : 'Connect to Server'}
      onCancel={close}
      width={460}
      className="connect-to-server-dialog"
      buttons={
        <>
          <button type="submit" form={formId} className="default-button" disabled={pending}>
            {step === 'fingerprint' ? 'Yes' : 'OK'}
          </button>
          <button type="button" onClick={close}>
            {step === 'fingerprint' ? 'No' : 'Cancel'}
          </button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={submit} aria-label="Connect to Server">
        <ErrorSummary summary={`Hyper-V Manager cannot connect to '${name}'.`} error={error} />
        {step === 'address' && (
          <>
            {/* Hyper-V Manager's Select Computer asks "Connect to virtualization server:" with
                "Local computer" and "Another computer:" [wording from memory of the dialog,
                unverified against Microsoft documentation]. */}
            <p>Connect to virtualization server:</p>
            <label className="field">
              <span>Another computer:</span>
              <input
                type="text"
                name="address"
                value={address}
                onChange={(e) => setAddress(e.target.value)}
                placeholder="name:port"
                data-autofocus
              />
            </label>
          </>
        )}
        {step === 'fingerprint' && shown !== null && (
          <>
            <p>
              The server <bdi>{shown.computerName}</bdi> at <bdi>{shown.address}</bdi> identifies
              itself with this certificate fingerprint (SHA-256):
            </p>
            <p>
              <code data-testid="server-fingerprint" className="fingerprint">
                {shown.fingerprint}
              </code>
            </p>
            <p>
              Compare it with the fingerprint the server printed when it started. Is it the same?
              Your credentials are sent only to a server that shows this fingerprint.
            </p>
          </>
        )}
        {step === 'credentials' && shown !== null && (
          <>
            <p>
              Enter your credentials to connect to &apos;<bdi>{shown.computerName}</bdi>&apos;.
            </p>
            <CredentialFields
              userName={userName}
              password={password}
              onUserNameChange={setUserName}
              onPasswordChange={setPassword}
            />
          </>
        )}
      </form>
    </Dialog>
  );
}
