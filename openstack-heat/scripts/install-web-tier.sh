#!/usr/bin/env bash
# cloud-init script of the Glimpse web tier (openstack-heat/glimpse-web.yaml). The template's
# cloud-config part wrote, before this runs (none of it secret):
#   /etc/glimpse/install.env    what to install (app tarball URL and sha256, Roles Anywhere ARNs)
#   /etc/glimpse/web.env        the web tier's environment (variables of core/config only)
#   /etc/glimpse/api-keys       the SHA-256 digests of the accepted API keys, one a line
#   /etc/glimpse/secrets.env    Keystone URL and Barbican references of the TLS and Roles Anywhere keys
#   /etc/glimpse/rolesanywhere/certificate.pem   the server's (public) Roles Anywhere certificate
#   /usr/local/sbin/glimpse-fetch-secrets and the units glimpse-web.{service,path}, glimpse-secrets.service
# It installs Node.js, the AWS signing helper, the web tier and nginx (HTTPS, with a placeholder
# certificate until the server is enrolled), and arms glimpse-web.path, which starts the web tier
# once glimpse-secrets.service has fetched the keys (docs/deploy.md, "Enrol the server").
set -euo pipefail

# shellcheck source=/dev/null
. /etc/glimpse/install.env
: "${APP_TARBALL_URL:?}" "${APP_TARBALL_SHA256:?}"
: "${ROLES_ANYWHERE_TRUST_ANCHOR_ARN:?}" "${ROLES_ANYWHERE_PROFILE_ARN:?}" "${ROLES_ANYWHERE_ROLE_ARN:?}"
app_port="$(sed -n 's/^PORT=//p' /etc/glimpse/web.env)"
: "${app_port:?PORT missing from /etc/glimpse/web.env}"
# nginx refuses what the app would refuse: a body over GLIMPSE_MAX_REQUEST_BYTES (the app's default: 64 MiB).
max_request_bytes="$(sed -n 's/^GLIMPSE_MAX_REQUEST_BYTES=//p' /etc/glimpse/web.env)"
max_request_bytes="${max_request_bytes:-67108864}"

# Pinned downloads: a new version is a reviewed change of version and checksum together (the
# checksums are the ones nodejs.org's SHASUMS256.txt and the IAM Roles Anywhere user guide publish).
node_version=24.11.1
signing_helper_version=1.8.2
case "$(uname -m)" in
  x86_64)
    node_tarball="node-v${node_version}-linux-x64.tar.xz"
    node_sha256=60e3b0a8500819514aca603487c254298cd776de0698d3cd08f11dba5b8289a8
    signing_helper_path=X86_64/Linux/Amzn2023/aws_signing_helper
    signing_helper_sha256=7addb6eb6e84fcee6c9c013b895ea6ad01672188f1a52a61118d22c977c4432e
    ;;
  *)
    echo "the web tier's pinned downloads are for x86_64; $(uname -m) needs its own checksums" >&2
    exit 1
    ;;
esac

app_dir=/opt/glimpse/app
api_keys_file=/etc/glimpse/api-keys
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The deployed web tier requires API keys: without one valid digest it would turn every client away
# (or, misconfigured, serve everyone), so it is not installed at all.
require_api_keys() {
  if ! grep -Eq '^[0-9a-f]{64}$' "$api_keys_file" 2>/dev/null; then
    echo "no API key digest in $api_keys_file (Heat parameter api_key_digests): not installing" >&2
    exit 1
  fi
  if grep -Evq '^([0-9a-f]{64})?$' "$api_keys_file"; then
    echo "$api_keys_file holds a line that is not a sha256 hex digest" >&2
    exit 1
  fi
}

install_packages() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends ca-certificates curl nginx openssl xz-utils
}

# Downloads $1 to $3 and keeps it only when its sha256 is $2.
download_verified() {
  local url="$1" sha256="$2" target="$3"
  curl -fsSL --proto '=https' -o "$target" "$url"
  echo "${sha256}  ${target}" | sha256sum --check --strict -
}

install_node() {
  download_verified "https://nodejs.org/dist/v${node_version}/${node_tarball}" "$node_sha256" "$work/$node_tarball"
  tar -xJf "$work/$node_tarball" -C /usr/local --strip-components=1 --no-same-owner
  [ "$(node --version)" = "v${node_version}" ]
}

# The built application, checked against the sha256 the stack was given.
install_app() {
  if ! id glimpse >/dev/null 2>&1; then
    useradd --system --home-dir /opt/glimpse --create-home --shell /usr/sbin/nologin glimpse
  fi
  download_verified "$APP_TARBALL_URL" "$APP_TARBALL_SHA256" "$work/glimpse.tgz"
  rm -rf "$app_dir"
  install -d -m 0755 "$app_dir"
  tar -xzf "$work/glimpse.tgz" -C "$app_dir" --no-same-owner
  test -f "$app_dir/dist/nest-web/main.js"
  # The web tier does not run models: skip onnxruntime-node's optional GPU download.
  (cd "$app_dir" && npm install --omit=dev --no-audit --no-fund)
}

# IAM Roles Anywhere: the AWS SDK's credential_process runs the signing helper, which trades the
# server's certificate for short-lived credentials of the web-tier role. The private key arrives
# from Barbican at enrolment (glimpse-fetch-secrets), readable by the service user only.
configure_roles_anywhere() {
  local helper=/usr/local/bin/aws_signing_helper
  download_verified "https://rolesanywhere.amazonaws.com/releases/${signing_helper_version}/${signing_helper_path}" \
    "$signing_helper_sha256" "$work/aws_signing_helper"
  install -m 0755 "$work/aws_signing_helper" "$helper"
  chown -R root:glimpse /etc/glimpse/rolesanywhere
  chmod 0750 /etc/glimpse/rolesanywhere
  install -d -m 0700 -o glimpse -g glimpse /opt/glimpse/.aws
  cat > /opt/glimpse/.aws/config <<CONFIG
[default]
credential_process = $helper credential-process --certificate /etc/glimpse/rolesanywhere/certificate.pem --private-key /etc/glimpse/rolesanywhere/private-key.pem --trust-anchor-arn ${ROLES_ANYWHERE_TRUST_ANCHOR_ARN} --profile-arn ${ROLES_ANYWHERE_PROFILE_ARN} --role-arn ${ROLES_ANYWHERE_ROLE_ARN}
CONFIG
  chown glimpse:glimpse /opt/glimpse/.aws/config
  chmod 0600 /opt/glimpse/.aws/config
}

# nginx cannot start without a certificate: a self-signed one for two days, replaced by the real
# one from Barbican at enrolment.
install_placeholder_certificate() {
  install -d -m 0755 /etc/glimpse/tls
  if [ -s /etc/glimpse/tls/certificate.pem ]; then
    return
  fi
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=glimpse-not-enrolled" -keyout /etc/glimpse/tls/private-key.pem -out /etc/glimpse/tls/certificate.pem
  chmod 0600 /etc/glimpse/tls/private-key.pem
}

# nginx: port 80 only redirects; port 443 speaks TLS 1.2 and 1.3 (Mozilla's "intermediate" ciphers),
# sends HSTS (its own: the app's copy is hidden so there is exactly one) and proxies to the app on
# 127.0.0.1. A body over the app's request cap is refused here; slow clients are cut off (headers
# within 10 s, no 30 s pause while sending the body); bodies stream through unbuffered (the app
# spools each file to its private /tmp and counts the bytes itself). POST / may hold a request for
# GLIMPSE_CSE546_TIMEOUT_SECONDS (300 s).
install_proxy() {
  cat > /etc/nginx/sites-available/glimpse <<NGINX
server {
  listen 80 default_server;
  listen [::]:80 default_server;
  server_tokens off;
  location / {
    return 301 https://\$host\$request_uri;
  }
}

server {
  listen 443 ssl default_server;
  listen [::]:443 ssl default_server;
  server_tokens off;
  ssl_certificate /etc/glimpse/tls/certificate.pem;
  ssl_certificate_key /etc/glimpse/tls/private-key.pem;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;
  ssl_prefer_server_ciphers off;
  ssl_session_cache shared:glimpse_tls:10m;
  ssl_session_timeout 1d;
  ssl_session_tickets off;
  proxy_hide_header Strict-Transport-Security;
  add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;
  client_max_body_size ${max_request_bytes};
  client_header_timeout 10s;
  client_body_timeout 30s;
  proxy_request_buffering off;
  location / {
    proxy_pass http://127.0.0.1:${app_port};
    proxy_http_version 1.1;
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_read_timeout 330s;
    proxy_send_timeout 330s;
  }
}
NGINX
  ln -sf /etc/nginx/sites-available/glimpse /etc/nginx/sites-enabled/glimpse
  rm -f /etc/nginx/sites-enabled/default
  nginx -t
  systemctl reload-or-restart nginx
}

# The units came with the cloud-config part. The web tier starts when its key is there: at once
# after a reboot, else once the server is enrolled.
install_services() {
  chown root:glimpse /etc/glimpse/web.env "$api_keys_file"
  chmod 0640 /etc/glimpse/web.env "$api_keys_file"
  install -d -m 0700 /etc/glimpse/openstack
  systemctl daemon-reload
  systemctl enable --now glimpse-web.path
}

require_api_keys
install_packages
install_node
install_app
configure_roles_anywhere
install_placeholder_certificate
install_proxy
install_services
echo "Glimpse web tier installed: enrol the server (docs/deploy.md) to fetch its keys from Barbican and start it"
