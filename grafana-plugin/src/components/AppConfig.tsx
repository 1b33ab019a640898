/**
 * The app's configuration page, for Grafana admins: the agent's URL as Grafana's server reaches it and
 * the agent's token. The token goes to Grafana's encrypted secureJsonData and is never read back: the
 * page only learns that one is set (secureJsonFields) and can replace or reset it.
 */
import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { AppPluginMeta, GrafanaTheme2, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput, useStyles2 } from '@grafana/ui';
import { createAgentClient } from '../api/agentClient';
import { PROXY_BASE, saveAppSettings, type AppJsonData } from '../api/appSettings';
import { grafanaTransport } from '../api/grafanaTransport';
import { testIds } from '../testIds';

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppJsonData>>;

export function AppConfig({ plugin }: AppConfigProps) {
  const styles = useStyles2(getStyles);
  const { jsonData, secureJsonFields } = plugin.meta;
  const [agentUrl, setAgentUrl] = useState(jsonData?.agentUrl ?? '');
  const [token, setToken] = useState('');
  const [tokenSet, setTokenSet] = useState(Boolean(secureJsonFields?.agentToken));
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const urlError = agentUrl && !/^https?:\/\/[^\s/]+/.test(agentUrl.trim()) ? 'an http:// or https:// URL, e.g. http://wedsync-agent.wedsync:8080' : null;

  const save = async () => {
    setSaving(true);
    setResult(null);
    try {
      await saveAppSettings(agentUrl, token || null, !tokenSet && !token);
      setTokenSet(tokenSet || Boolean(token));
      setToken('');
      setResult({ ok: true, text: 'Saved. Panels reach the agent through Grafana from now on.' });
    } catch (e) {
      setResult({ ok: false, text: `Could not save: ${(e as { data?: { message?: string } }).data?.message ?? (e as Error).message ?? 'unknown error'}` });
    } finally {
      setSaving(false);
    }
  };

  const test = async () => {
    setResult(null);
    try {
      const status = await createAgentClient({ baseUrl: PROXY_BASE, fetch: grafanaTransport }).status();
      setResult({
        ok: true,
        text: `Connected through Grafana: agent ${status.agent.version}, ${status.agent.mode}, cluster ${status.agent.cluster}, ${status.targets.length} targets.`,
      });
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <div className={styles.page} data-testid={testIds.app.config}>
      <FieldSet label="WedSync agent">
        <Field
          label="Agent URL"
          description="Where Grafana's server reaches the agent (not the browser). Grafana forwards /api/v1 calls there."
          invalid={Boolean(urlError)}
          error={urlError}
        >
          <Input
            width={60}
            value={agentUrl}
            placeholder="http://wedsync-agent.wedsync:8080"
            onChange={(e) => setAgentUrl(e.currentTarget.value)}
            data-testid={testIds.app.agentUrl}
          />
        </Field>
        <Field
          label="Agent token"
          description="A token from the agent's api.tokens or WEDSYNC_API_TOKENS. Operator role: Grafana Editors can set overrides; viewer role: read-only. Kept encrypted by Grafana, never sent to browsers."
        >
          <SecretInput
            width={60}
            value={token}
            isConfigured={tokenSet}
            placeholder="paste the token"
            onChange={(e) => setToken(e.currentTarget.value)}
            onReset={() => setTokenSet(false)}
            data-testid={testIds.app.agentToken}
          />
        </Field>
        <div className={styles.buttons}>
          <Button onClick={save} disabled={saving || Boolean(urlError) || !agentUrl} data-testid={testIds.app.save}>
            Save
          </Button>
          <Button variant="secondary" onClick={test} disabled={saving} data-testid={testIds.app.test}>
            Test connection
          </Button>
        </div>
      </FieldSet>
      {result && (
        <Alert severity={result.ok ? 'success' : 'error'} title={result.ok ? 'OK' : 'Not connected'} data-testid={testIds.app.testResult}>
          {result.text}
        </Alert>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ maxWidth: 800 }),
  buttons: css({ display: 'flex', gap: theme.spacing(1) }),
});
