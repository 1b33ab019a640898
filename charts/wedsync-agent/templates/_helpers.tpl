{{/* The chart's name, and the objects' base name (the release name when it already holds the chart's). */}}
{{- define "wedsync-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wedsync-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Selector labels: stable across upgrades (a Deployment's selector is immutable). */}}
{{- define "wedsync-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wedsync-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The recommended labels on every object; call with (dict "ctx" $ "component" "agent"). */}}
{{- define "wedsync-agent.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .ctx.Chart.Name .ctx.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "wedsync-agent.selectorLabels" .ctx }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: wedsync
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
{{- end }}

{{- define "wedsync-agent.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{- define "wedsync-agent.stateConfigMap" -}}{{ include "wedsync-agent.fullname" . }}-state{{- end }}
{{- define "wedsync-agent.freezeConfigMap" -}}{{ .Values.admissionPolicy.configMap }}{{- end }}

{{/* The namespaces that hold targets, sorted and unique (one Role + RoleBinding each). */}}
{{- define "wedsync-agent.targetNamespaces" -}}
{{- $ns := list }}
{{- range .Values.targets }}{{ $ns = append $ns .kubernetes.namespace }}{{ end }}
{{- $ns | uniq | sortAlpha | toJson }}
{{- end }}

{{/* The agent's config file (agent/README.md), built from the values; extraConfig is merged over it. */}}
{{/* Grafana's unit for an ISO 4217 code: its currency unit where Grafana has one, else the code as a suffix. */}}
{{- define "wedsync-agent.currencyUnit" -}}
{{- if has . (list "USD" "GBP" "EUR" "JPY" "RUB" "UAH" "BRL" "DKK" "ISK" "NOK" "SEK" "CZK" "CHF" "PLN" "ZAR" "INR" "KRW" "IDR" "PHP" "VND" "TRY" "MYR" "XPF" "BGN" "PYG" "UYU" "ILS") -}}
currency{{ . }}
{{- else -}}
suffix: {{ . }}
{{- end -}}
{{- end }}

{{- define "wedsync-agent.config" -}}
{{- $agent := dict "cluster" .Values.cluster "mode" .Values.mode "tickSeconds" .Values.tickSeconds "listen" (dict "host" "0.0.0.0" "port" (int .Values.service.port)) }}
{{- with .Values.loadUnit }}{{ $_ := set $agent "loadUnit" . }}{{ end }}
{{- with .Values.identity.provider }}{{ $_ := set $agent "provider" . }}{{ end }}
{{- with .Values.identity.region }}{{ $_ := set $agent "region" . }}{{ end }}
{{- $kube := dict "connection" "in-cluster" "leaseName" (include "wedsync-agent.fullname" .) "leaseNamespace" .Release.Namespace "leaseDurationSeconds" (int .Values.leaseDurationSeconds) }}
{{- if .Values.admissionPolicy.enabled }}
{{- $_ := set $kube "deployFreeze" (dict "configMap" (include "wedsync-agent.freezeConfigMap" .) "namespace" .Release.Namespace "heartbeatSeconds" (int .Values.admissionPolicy.heartbeatSeconds)) }}
{{- end }}
{{- $config := dict "agent" $agent "sources" .Values.sources "calendar" .Values.calendar "kubernetes" $kube "state" (dict "configMap" (include "wedsync-agent.stateConfigMap" .) "maxAuditEntries" (int .Values.state.maxAuditEntries)) "targets" .Values.targets }}
{{- with .Values.pricing }}{{ $_ := set $config "pricing" . }}{{ end }}
{{- with .Values.fleet }}{{ $_ := set $config "fleet" . }}{{ end }}
{{- $config = mergeOverwrite (deepCopy $config) (deepCopy .Values.extraConfig) }}
{{- toYaml $config }}
{{- end }}

{{/* Fails at template time, naming the value, for what the schema cannot express. */}}
{{- define "wedsync-agent.validate" -}}
{{- $config := include "wedsync-agent.config" . }}
{{- if and (regexMatch "\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}" $config) (not .Values.existingSecret) }}
{{- fail (printf "existingSecret: required, because the config reads %s from the environment; create a Secret with it and set existingSecret to its name" (regexFind "\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}" $config)) }}
{{- end }}
{{- range $i, $s := (.Values.calendar.sources | default list) }}
{{- if and $s.bearerToken (not (regexMatch "^\\$\\{[A-Za-z_][A-Za-z0-9_]*\\}$" $s.bearerToken)) }}
{{- fail (printf "calendar.sources[%d].bearerToken: must be an environment reference such as ${CALENDAR_TOKEN}, with the token in existingSecret (a token in values would land in the ConfigMap)" $i) }}
{{- end }}
{{- end }}
{{- $ids := dict }}
{{- range $i, $t := .Values.targets }}
{{- if hasKey $ids $t.id }}{{ fail (printf "targets[%d].id: %q is used twice" $i $t.id) }}{{ end }}
{{- $_ := set $ids $t.id true }}
{{- if not (hasKey $.Values.sources (default "prometheus" $t.load.source)) }}{{ fail (printf "targets[%d].load.source: %q is not a key of sources" $i (default "prometheus" $t.load.source)) }}{{ end }}
{{- end }}
{{- end }}
