/** Asks for the operator's API token; it is kept for this browser session only (never in the dashboard). */
import React, { useState } from 'react';
import { Button, Field, Input, Stack } from '@grafana/ui';
import { testIds } from '../testIds';

interface Props {
  reason: string;
  onSave: (token: string) => void;
}

export function TokenPrompt({ reason, onSave }: Props) {
  const [value, setValue] = useState('');
  return (
    <form
      data-testid={testIds.token.prompt}
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) {onSave(value.trim());}
      }}
    >
      <Field label="Agent API token" description={`${reason} The token is kept for this browser session only, never in the dashboard.`}>
        <Stack gap={1}>
          <Input type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.currentTarget.value)} data-testid={testIds.token.input} />
          <Button type="submit" disabled={!value.trim()} data-testid={testIds.token.save}>
            Use token
          </Button>
        </Stack>
      </Field>
    </form>
  );
}
