import { errorMessage } from '../api/client';

interface ErrorSummaryProps {
  /** What failed, in the product's words ("The changes could not be applied."). */
  summary: string;
  error: unknown;
}

/**
 * A dialog's failure line plus the server's own message, as Hyper-V Manager's error boxes put a
 * summary above the reason in words. The REST error code (INVALID_STATE, ...) is for programs,
 * not people: it is not shown (a Windows code such as 0x80070002 stays inside the message).
 */
export function ErrorSummary({ summary, error }: ErrorSummaryProps) {
  if (error === null || error === undefined) return null;
  return (
    <div role="alert" className="error-summary">
      <span className="error-icon" aria-hidden="true">
        ✖
      </span>
      <div>
        <div className="error-summary-line">{summary}</div>
        <div className="error-detail">{errorMessage(error)}</div>
      </div>
    </div>
  );
}
