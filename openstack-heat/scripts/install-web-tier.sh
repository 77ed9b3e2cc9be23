#!/usr/bin/env bash
# cloud-init script of the Glimpse web tier (openstack-heat/glimpse-web.yaml). The template's
# cloud-config part wrote, before this runs:
#   /etc/glimpse/install.env   what to install (Node major, app tarball URL and sha256, Roles Anywhere ARNs)
#   /etc/glimpse/web.env       the web tier's environment (variables of core/config only)
#   /etc/glimpse/rolesanywhere/{certificate,private-key}.pem   (empty unless Roles Anywhere is used)
# It installs Node.js, the web tier and nginx, and starts the web tier under systemd.
set -euo pipefail

# shellcheck source=/dev/null
. /etc/glimpse/install.env
: "${NODE_MAJOR:?}" "${APP_TARBALL_URL:?}" "${APP_TARBALL_SHA256:?}"
app_port="$(sed -n 's/^PORT=//p' /etc/glimpse/web.env)"
: "${app_port:?PORT missing from /etc/glimpse/web.env}"
# nginx refuses what the app would refuse: a body over GLIMPSE_MAX_REQUEST_BYTES (the app's default: 64 MiB).
max_request_bytes="$(sed -n 's/^GLIMPSE_MAX_REQUEST_BYTES=//p' /etc/glimpse/web.env)"
max_request_bytes="${max_request_bytes:-67108864}"

app_dir=/opt/glimpse/app
signing_helper_version=1.4.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

install_packages() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends ca-certificates curl nginx xz-utils
}

# Official release tarball of the latest Node.js $NODE_MAJOR, checked against SHASUMS256.txt.
install_node() {
  local release="https://nodejs.org/dist/latest-v${NODE_MAJOR}.x" arch tarball
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "unsupported architecture $(uname -m)" >&2; exit 1 ;;
  esac
  (
    cd "$work"
    curl -fsSLO "$release/SHASUMS256.txt"
    tarball="$(grep -oE "node-v${NODE_MAJOR}\.[0-9]+\.[0-9]+-linux-${arch}\.tar\.xz" SHASUMS256.txt | head -n 1)"
    [ -n "$tarball" ] || { echo "no Node $NODE_MAJOR tarball for $arch" >&2; exit 1; }
    curl -fsSLO "$release/$tarball"
    grep " ${tarball}\$" SHASUMS256.txt | sha256sum --check --strict -
    tar -xJf "$tarball" -C /usr/local --strip-components=1 --no-same-owner
  )
  node --version
}

# The built application, checked against the sha256 the stack was given.
install_app() {
  if ! id glimpse >/dev/null 2>&1; then
    useradd --system --home-dir /opt/glimpse --create-home --shell /usr/sbin/nologin glimpse
  fi
  curl -fsSL -o "$work/glimpse.tgz" "$APP_TARBALL_URL"
  echo "${APP_TARBALL_SHA256}  $work/glimpse.tgz" | sha256sum --check --strict -
  rm -rf "$app_dir"
  install -d -m 0755 "$app_dir"
  tar -xzf "$work/glimpse.tgz" -C "$app_dir" --no-same-owner
  test -f "$app_dir/dist/nest-web/main.js"
  # The web tier does not run models: skip onnxruntime-node's optional GPU download.
  (cd "$app_dir" && npm install --omit=dev --no-audit --no-fund)
}

# IAM Roles Anywhere: the AWS SDK's credential_process runs the signing helper, which trades the
# server's certificate for short-lived credentials of the web-tier role. Nothing long-lived on disk
# but the private key (readable by the service user only).
configure_roles_anywhere() {
  if [ -z "${ROLES_ANYWHERE_ROLE_ARN:-}" ]; then
    rm -rf /etc/glimpse/rolesanywhere
    return
  fi
  local arch helper=/usr/local/bin/aws_signing_helper
  case "$(uname -m)" in
    x86_64) arch=X86_64 ;;
    aarch64) arch=Aarch64 ;;
    *) echo "no signing helper for $(uname -m)" >&2; exit 1 ;;
  esac
  curl -fsSL -o "$helper" \
    "https://rolesanywhere.amazonaws.com/releases/${signing_helper_version}/${arch}/Linux/aws_signing_helper"
  chmod 0755 "$helper"
  chown -R root:glimpse /etc/glimpse/rolesanywhere
  chmod 0750 /etc/glimpse/rolesanywhere
  chmod 0640 /etc/glimpse/rolesanywhere/private-key.pem
  install -d -m 0700 -o glimpse -g glimpse /opt/glimpse/.aws
  cat > /opt/glimpse/.aws/config <<CONFIG
[default]
credential_process = $helper credential-process --certificate /etc/glimpse/rolesanywhere/certificate.pem --private-key /etc/glimpse/rolesanywhere/private-key.pem --trust-anchor-arn ${ROLES_ANYWHERE_TRUST_ANCHOR_ARN} --profile-arn ${ROLES_ANYWHERE_PROFILE_ARN} --role-arn ${ROLES_ANYWHERE_ROLE_ARN}
CONFIG
  chown glimpse:glimpse /opt/glimpse/.aws/config
  chmod 0600 /opt/glimpse/.aws/config
}

install_service() {
  cat > /etc/systemd/system/glimpse-web.service <<UNIT
[Unit]
Description=Glimpse web tier (NestJS)
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=glimpse
Group=glimpse
WorkingDirectory=$app_dir
Environment=NODE_ENV=production
Environment=HOME=/opt/glimpse
EnvironmentFile=/etc/glimpse/web.env
ExecStart=/usr/local/bin/node dist/nest-web/main.js
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=30
NoNewPrivileges=true
ProtectSystem=strict
PrivateTmp=true

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now glimpse-web.service
}

# nginx on port 80 in front of the app. A body over the app's request cap is refused here; slow
# clients are cut off (headers within 10 s, no 30 s pause while sending the body); bodies stream
# through unbuffered (the app spools each file to its private /tmp and counts the bytes itself).
# POST / may hold a request for GLIMPSE_CSE546_TIMEOUT_SECONDS (300 s).
install_proxy() {
  cat > /etc/nginx/sites-available/glimpse <<NGINX
server {
  listen 80 default_server;
  listen [::]:80 default_server;
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

install_packages
install_node
install_app
configure_roles_anywhere
chown root:glimpse /etc/glimpse/web.env
chmod 0640 /etc/glimpse/web.env
install_service
install_proxy
echo "Glimpse web tier installed; listening on port ${app_port} behind nginx on port 80"
