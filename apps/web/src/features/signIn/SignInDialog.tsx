import { useId, useState } from 'react';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { signIn } from './sessionApi';
import type { SessionInfo } from './sessionApi';
import { CredentialFields } from '../../shared/CredentialFields';

interface SignInDialogProps {
  computerName: string;
  onSignedIn: (session: SessionInfo) => void;
}

/** "Connect to Server": the user name and password of an account of the server. */
export function SignInDialog({ computerName, onSignedIn }: SignInDialogProps) {
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const formId = useId();

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (userName.trim() === '') {
      setError(new Error('Type a user name.'));
      return;
    }
    setPending(true);
    setError(null);
    signIn(userName.trim(), password).then(
      (session) => {
        setPending(false);
        onSignedIn(session);
      },
      (failure: unknown) => {
        setPending(false);
        setPassword('');
        setError(failure);
      },
    );
  };

  const computer = computerName === '' ? 'the server' : `'${computerName}'`;
  return (
    <Dialog
      title="Connect to Server"
      onCancel={() => undefined}
      width={400}
      className="sign-in-dialog"
      buttons={
        <button type="submit" form={formId} className="default-button" disabled={pending}>
          OK
        </button>
      }
    >
      <form id={formId} className="form" onSubmit={submit} aria-label="Sign in">
        <p>Enter your credentials to connect to {computer}.</p>
        <ErrorSummary summary={`Hyper-V Manager cannot connect to ${computer}.`} error={error} />
        <CredentialFields
          userName={userName}
          password={password}
          onUserNameChange={setUserName}
          onPasswordChange={setPassword}
        />
      </form>
    </Dialog>
  );
}
