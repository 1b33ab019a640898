/**
 * Set an override in two steps: fill in and check the form, then confirm a plain-words summary of the
 * exact request. Errors come back as the agent worded them, per field when the agent names one.
 */
import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, Checkbox, Field, Input, RadioButtonGroup, Stack, TextArea, useStyles2 } from '@grafana/ui';
import { AgentApiError } from '../api/agentClient';
import type { OverrideRequest, OverrideType } from '../types';
import { describeRequest, validateDraft, type DraftErrors, type OverrideDraft } from './overrideDraft';
import { testIds } from '../testIds';

export interface OverrideTarget {
  id: string;
  minReplicas?: number;
  maxReplicas?: number;
  currentReplicas?: number | null;
}

interface Props {
  targets: OverrideTarget[];
  nowMs: number;
  onSubmit: (request: OverrideRequest) => Promise<void>;
  onClose: () => void;
}

const TYPES: Array<{ label: string; value: OverrideType; description: string }> = [
  { label: 'Pin', value: 'pin', description: 'exactly this many replicas' },
  { label: 'Floor', value: 'floor', description: 'at least this many replicas' },
  { label: 'Freeze', value: 'freeze', description: 'no changes at all' },
];

export function OverrideForm({ targets, nowMs, onSubmit, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const first = targets[0];
  const [draft, setDraft] = useState<OverrideDraft>({
    target: first?.id ?? '',
    type: 'floor',
    replicas: first?.currentReplicas != null ? String(first.currentReplicas) : '',
    duration: '2h',
    untilWeddingEnds: false,
    reason: '',
  });
  const [errors, setErrors] = useState<DraftErrors>({});
  const [pending, setPending] = useState<OverrideRequest | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [requestError, setRequestError] = useState<AgentApiError | null>(null);
  const set = (patch: Partial<OverrideDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const target = targets.find((t) => t.id === draft.target);

  const review = () => {
    const result = validateDraft(draft, { nowMs, minReplicas: target?.minReplicas, maxReplicas: target?.maxReplicas });
    setRequestError(null);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setPending(result.request);
  };

  const confirm = async () => {
    if (!pending) {
      return;
    }
    setSubmitting(true);
    try {
      await onSubmit(pending);
      onClose();
    } catch (e) {
      const err = e instanceof AgentApiError ? e : new AgentApiError((e as Error).message, 0);
      setRequestError(err);
      // Field-level answers from the agent go back next to the field they name.
      const fromAgent: DraftErrors = {};
      for (const d of err.details) {
        if (['target', 'type', 'replicas', 'reason'].includes(d.field)) {
          fromAgent[d.field as keyof DraftErrors] = d.reason;
        }
      }
      if (err.details.some((d) => d.field === 'until' || d.field === 'untilWeddingEnds')) {
        fromAgent.duration = err.details.find((d) => d.field.startsWith('until'))!.reason;
      }
      setErrors(fromAgent);
      setPending(null);
    } finally {
      setSubmitting(false);
    }
  };

  const errorText = (field: keyof DraftErrors) => (errors[field] ? <span data-testid={testIds.override.fieldError(field)}>{errors[field]}</span> : undefined);

  if (pending) {
    return (
      <div className={styles.box} data-testid={testIds.override.confirmation}>
        <Alert severity="warning" title="Confirm the override">
          {describeRequest(pending)}
        </Alert>
        <Stack gap={1}>
          <Button variant="destructive" onClick={confirm} disabled={submitting} data-testid={testIds.override.confirm}>
            {submitting ? 'Setting…' : 'Set override'}
          </Button>
          <Button variant="secondary" onClick={() => setPending(null)} disabled={submitting} data-testid={testIds.override.back}>
            Back
          </Button>
        </Stack>
      </div>
    );
  }

  return (
    <form
      className={styles.box}
      data-testid={testIds.override.form}
      onSubmit={(e) => {
        e.preventDefault();
        review();
      }}
    >
      <div className={styles.title}>Set an override</div>
      {requestError && (
        <Alert severity="error" title={refusalTitle(requestError)} data-testid={testIds.override.requestError}>
          {requestError.message}
          {requestError.details.length > 0 && (
            <ul>
              {requestError.details.map((d) => (
                <li key={d.field}>{`${d.field}: ${d.reason}`}</li>
              ))}
            </ul>
          )}
        </Alert>
      )}
      {targets.length > 1 && (
        <Field label="Target" invalid={!!errors.target} error={errorText('target')}>
          <RadioButtonGroup options={targets.map((t) => ({ label: t.id, value: t.id }))} value={draft.target} onChange={(v) => set({ target: v })} />
        </Field>
      )}
      <Field label="Type" invalid={!!errors.type} error={errorText('type')} data-testid={testIds.override.type}>
        <RadioButtonGroup options={TYPES} value={draft.type} onChange={(v) => set({ type: v })} />
      </Field>
      {draft.type !== 'freeze' && (
        <Field
          label="Replicas"
          description={target?.maxReplicas !== undefined ? `0 to ${target.maxReplicas} (configured minimum ${target.minReplicas})` : undefined}
          invalid={!!errors.replicas}
          error={errorText('replicas')}
        >
          <Input
            value={draft.replicas}
            onChange={(e) => set({ replicas: e.currentTarget.value })}
            inputMode="numeric"
            data-testid={testIds.override.replicas}
          />
        </Field>
      )}
      <Checkbox
        label="Until the live wedding ends"
        value={draft.untilWeddingEnds}
        onChange={(e) => set({ untilWeddingEnds: e.currentTarget.checked })}
        data-testid={testIds.override.untilWeddingEnds}
      />
      {!draft.untilWeddingEnds && (
        <Field label="For" description="from the agent's now: 90m, 2h, 1h30m, 1d" invalid={!!errors.duration} error={errorText('duration')}>
          <Input value={draft.duration} onChange={(e) => set({ duration: e.currentTarget.value })} data-testid={testIds.override.duration} />
        </Field>
      )}
      <Field label="Reason" invalid={!!errors.reason} error={errorText('reason')}>
        <TextArea value={draft.reason} rows={2} onChange={(e) => set({ reason: e.currentTarget.value })} data-testid={testIds.override.reason} />
      </Field>
      <Stack gap={1}>
        <Button type="submit" data-testid={testIds.override.review}>
          Review
        </Button>
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({
    maxWidth: 560,
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
  }),
  title: css({ fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(1) }),
});

/** Says who refused: Grafana (the viewer's role), the agent (the app's token), or the agent's rules. */
function refusalTitle(e: AgentApiError): string {
  switch (e.refusal) {
    case 'grafana-role':
      return 'Your Grafana role may not change overrides (403 from Grafana)';
    case 'agent-role':
      return "The WedSync app's token may not change overrides (403 from the agent)";
    case 'agent-token':
      return "The agent does not accept the WedSync app's token (401)";
    default:
      return e.unreachable ? 'The agent is unreachable' : 'The agent refused the override';
  }
}
