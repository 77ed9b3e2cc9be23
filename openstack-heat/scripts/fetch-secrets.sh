#!/usr/bin/env bash
# glimpse-fetch-secrets (run by glimpse-secrets.service, as root): fetches the web tier's secrets
# from Barbican and installs them, then removes the credential it used.
#
# The server has no OpenStack identity of its own, so the operator enrols it once: an application
# credential whose access rules allow nothing but reading these secrets' payloads is copied over
# SSH to $config_dir/openstack/application-credential.env (APPLICATION_CREDENTIAL_ID and
# APPLICATION_CREDENTIAL_SECRET) and deleted in Keystone afterwards (docs/deploy.md). Nothing
# secret ever goes through Heat or the user data.
#
# Environment (/etc/glimpse/secrets.env, written by the Heat template; references, not secrets):
#   OPENSTACK_AUTH_URL         Keystone v3, e.g. https://keystone.example.com:5000/v3
#   TLS_CERTIFICATE_SECRET     Barbican secret hrefs: nginx's certificate chain and private key,
#   TLS_KEY_SECRET
#   ROLES_ANYWHERE_KEY_SECRET  and the private key of rolesanywhere/certificate.pem;
#   WEBHOOK_SIGNING_KEY_SECRET optional (empty: webhooks off): the webhook signing secret (whsec_…),
#                              installed as GLIMPSE_WEBHOOK_SECRET in webhook.env (0600 root).
# CONFIG_DIR (default /etc/glimpse) and KEY_GROUP (default glimpse: the group that may read the
# Roles Anywhere key) let the tests run it elsewhere.
set -euo pipefail
: "${OPENSTACK_AUTH_URL:?}" "${TLS_CERTIFICATE_SECRET:?}" "${TLS_KEY_SECRET:?}" "${ROLES_ANYWHERE_KEY_SECRET:?}"
config_dir="${CONFIG_DIR:-/etc/glimpse}"
key_group="${KEY_GROUP:-glimpse}"
credential_file="$config_dir/openstack/application-credential.env"
umask 077
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "glimpse-fetch-secrets: $*" >&2
  exit 1
}

# One value of the credential file, which must be a plain token (it is pasted into JSON below).
credential_value() {
  local value
  value="$(sed -n "s/^$1=//p" "$credential_file" | tr -d "\"'\r" | head -n 1)"
  [[ "$value" =~ ^[A-Za-z0-9_-]+$ ]] || fail "$1 missing or malformed in $credential_file"
  printf '%s' "$value"
}

# A Keystone token for the application credential. The secret goes through stdin and the token
# into a header file, so neither appears on a command line.
issue_token() {
  local id secret
  [ -f "$credential_file" ] || fail "no $credential_file: enrol the server first (docs/deploy.md)"
  id="$(credential_value APPLICATION_CREDENTIAL_ID)"
  secret="$(credential_value APPLICATION_CREDENTIAL_SECRET)"
  printf '{"auth":{"identity":{"methods":["application_credential"],"application_credential":{"id":"%s","secret":"%s"}}}}' \
    "$id" "$secret" |
    curl -fsS -o /dev/null -D "$work/token-response" -H 'Content-Type: application/json' --data-binary @- \
      "${OPENSTACK_AUTH_URL%/}/auth/tokens" || fail "Keystone refused the application credential"
  sed -n 's/^[Xx]-[Ss]ubject-[Tt]oken: *//p' "$work/token-response" | tr -d '\r' > "$work/token"
  [ -s "$work/token" ] || fail "Keystone answered without a token"
  printf 'X-Auth-Token: %s\n' "$(cat "$work/token")" > "$work/auth-header"
}

# Revokes the token (it would otherwise stay valid for its lifetime, an hour or more).
revoke_token() {
  printf 'X-Subject-Token: %s\n' "$(cat "$work/token")" > "$work/subject-header"
  curl -fsS -o /dev/null -X DELETE -H @"$work/auth-header" -H @"$work/subject-header" \
    "${OPENSTACK_AUTH_URL%/}/auth/tokens" || echo "glimpse-fetch-secrets: could not revoke the token" >&2
}

# The payload of one Barbican secret (stored as text/plain PEM) into a file.
fetch_payload() {
  curl -fsS -H @"$work/auth-header" -H 'Accept: text/plain' -o "$2" "$1/payload" ||
    fail "Barbican refused $1 (do the application credential's access rules name it?)"
}

# The public key of a certificate or private key file, to tell whether the two belong together.
public_key_of() {
  case "$1" in
    certificate) openssl x509 -noout -pubkey -in "$2" ;;
    key) openssl pkey -pubout -in "$2" ;;
  esac
}

# Fails unless the key file is a private key of the certificate file.
check_pair() {
  local certificate="$1" key="$2" what="$3"
  openssl x509 -noout -in "$certificate" 2>/dev/null || fail "$what: the certificate is not a PEM certificate"
  openssl pkey -noout -in "$key" 2>/dev/null || fail "$what: the key is not a PEM private key"
  [ "$(public_key_of certificate "$certificate")" = "$(public_key_of key "$key")" ] ||
    fail "$what: the private key does not belong to the certificate"
}

# Fails unless the file holds one Standard Webhooks secret (whsec_ + base64), as core/config checks it.
check_webhook_secret() {
  local value
  value="$(tr -d '\r\n' < "$1")"
  [[ "$value" =~ ^whsec_[A-Za-z0-9+/]+={0,2}$ ]] || fail "webhook signing secret: not whsec_ followed by base64"
  printf 'GLIMPSE_WEBHOOK_SECRET=%s\n' "$value" > "$2"
}

# Installs a file atomically (a reader never sees half of it) with the given mode and group.
install_atomically() {
  local source="$1" target="$2" mode="$3" group="$4"
  install -m "$mode" -g "$group" "$source" "$target.new"
  mv -f "$target.new" "$target"
}

issue_token
fetch_payload "$TLS_CERTIFICATE_SECRET" "$work/tls-certificate.pem"
fetch_payload "$TLS_KEY_SECRET" "$work/tls-key.pem"
fetch_payload "$ROLES_ANYWHERE_KEY_SECRET" "$work/roles-anywhere-key.pem"
if [ -n "${WEBHOOK_SIGNING_KEY_SECRET:-}" ]; then
  fetch_payload "$WEBHOOK_SIGNING_KEY_SECRET" "$work/webhook-secret"
fi
revoke_token
check_pair "$work/tls-certificate.pem" "$work/tls-key.pem" "TLS"
check_pair "$config_dir/rolesanywhere/certificate.pem" "$work/roles-anywhere-key.pem" "Roles Anywhere"
if [ -n "${WEBHOOK_SIGNING_KEY_SECRET:-}" ]; then
  check_webhook_secret "$work/webhook-secret" "$work/webhook.env"
fi

install -d -m 0755 "$config_dir/tls"
install_atomically "$work/tls-certificate.pem" "$config_dir/tls/certificate.pem" 0644 root
install_atomically "$work/tls-key.pem" "$config_dir/tls/private-key.pem" 0600 root
install_atomically "$work/roles-anywhere-key.pem" "$config_dir/rolesanywhere/private-key.pem" 0640 "$key_group"
# Read by systemd (as root) for glimpse-web's environment; the app user never reads the file.
if [ -f "$work/webhook.env" ]; then
  install_atomically "$work/webhook.env" "$config_dir/webhook.env" 0600 root
fi
# One use only: the operator deletes the credential in Keystone too.
rm -f "$credential_file"
echo "glimpse-fetch-secrets: TLS certificate and key and Roles Anywhere key installed; application credential removed"
