{{/* Names: Kubernetes names are at most 63 characters. */}}
{{- define "hpops.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "hpops.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "hpops.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "hpops.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "hpops.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "hpops.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The labels Kubernetes' recommended set names; selectors use only the stable two. */}}
{{- define "hpops.selectorLabels" -}}
app.kubernetes.io/name: {{ include "hpops.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "hpops.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "hpops.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: hpops
{{- end }}

{{/* True when the store is PostgreSQL, whose URL is in a Secret. */}}
{{- define "hpops.sharedStore" -}}
{{- if .Values.store.urlSecret.name }}true{{ end }}
{{- end }}

{{/*
hpops.yaml: the user's config with the keys the chart owns laid over it, so
the port, the store's place and the in-cluster API access always match the
manifests around them.
*/}}
{{- define "hpops.config" -}}
{{- $config := deepCopy .Values.config }}
{{- $owned := dict "server" (dict "listen" (printf "0.0.0.0:%d" (int .Values.containerPort))) }}
{{- if include "hpops.sharedStore" . }}
{{- /* The URL holds a password: hpops reads it from HPOPS_STORE_URL only. */}}
{{- $_ := unset $config "store" }}
{{- else }}
{{- $_ := set $owned "store" (dict "path" "/var/lib/hpops/hpops.db") }}
{{- end }}
{{- if .Values.kubernetes.enabled }}
{{- $_ := set $owned "kubernetes" (dict "in_cluster" true "namespace" .Values.kubernetes.namespace) }}
{{- end }}
{{- toYaml (mustMergeOverwrite $config $owned) }}
{{- end }}

{{/* What the chart refuses to render, with the reason. */}}
{{- define "hpops.validate" -}}
{{- if and (gt (int .Values.replicaCount) 1) (not (include "hpops.sharedStore" .)) }}
{{- fail "replicaCount > 1 needs a shared store: set store.urlSecret (PostgreSQL). With SQLite each replica would keep its own alerts, jobs and confirmations." }}
{{- end }}
{{- if and .Values.serviceAccount.aws.irsaRoleArn .Values.serviceAccount.aws.podIdentityRoleArn }}
{{- fail "set serviceAccount.aws.irsaRoleArn or podIdentityRoleArn, not both: the pod would get two sets of AWS credentials." }}
{{- end }}
{{- if and .Values.kubernetes.enabled (not .Values.serviceAccount.create) (eq (include "hpops.serviceAccountName" .) "default") }}
{{- fail "kubernetes.enabled binds RBAC to hpops's ServiceAccount: create one, or name yours in serviceAccount.name." }}
{{- end }}
{{- end }}
