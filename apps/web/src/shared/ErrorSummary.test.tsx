import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { ErrorSummary } from './ErrorSummary';

describe('an error box', () => {
  it("says what failed and the host's reason in words, without the REST error code", () => {
    render(
      <ErrorSummary
        summary="The virtual machine could not be deleted."
        error={
          new ApiError(
            409,
            'INVALID_STATE',
            'The operation cannot be performed while the virtual machine is in its current state.',
          )
        }
      />,
    );
    const box = screen.getByRole('alert');
    expect(box).toHaveTextContent('The virtual machine could not be deleted.');
    expect(box).toHaveTextContent(
      'The operation cannot be performed while the virtual machine is in its current state.',
    );
    expect(box).not.toHaveTextContent('INVALID_STATE');
    expect(box).not.toHaveTextContent('Error code');
  });
});
