# Glimpse worker AMI: the AWS Deep Learning Base AMI (NVIDIA driver and CUDA), Node 24, the built
# worker with onnxruntime-node's CUDA 12 binaries, every built-in model (each verified by sha256;
# folder models come from the models bucket at start) and a systemd unit that starts the worker
# once the launch template's user data wrote its config.
#
# Packer 1.6 HCL2 (Debian's packer; the amazon plugin is built in, so no required_plugins block).
#   npm run build && tar -czf glimpse-worker.tgz dist package.json package-lock.json
#   packer build -var worker_tarball=glimpse-worker.tgz -var builder_cidr=<your address>/32 packer/
# The AMI id it prints is serverless.yml's workerAmiId parameter (docs/deploy.md).
#
# The build instance: SSH open to builder_cidr only, IMDSv2 only (see the first provisioner), no
# instance profile (no credentials on it), an encrypted volume.

variable "region" {
  type        = string
  default     = "us-east-1"
  description = "Region the AMI is built in (and used in: copy it with ami_regions for others)."
}

variable "builder_cidr" {
  type        = string
  description = "Address Packer connects from (e.g. 203.0.113.7/32): the only source the build instance's temporary security group admits."
  validation {
    condition     = try(cidrnetmask(var.builder_cidr) != "0.0.0.0", false)
    error_message = "The builder_cidr must be the builder's own address range, such as 203.0.113.7/32, not a /0."
  }
}

variable "worker_tarball" {
  type        = string
  default     = "glimpse-worker.tgz"
  description = "tar.gz of the built worker: dist/, package.json and package-lock.json."
}

variable "base_ami_name" {
  type        = string
  default     = "Deep Learning Base OSS Nvidia Driver GPU AMI (Ubuntu 22.04) *"
  description = "Name filter of the base image: an AWS Deep Learning Base AMI with the NVIDIA driver and CUDA 12."
}

variable "build_instance_type" {
  type        = string
  default     = "g4dn.xlarge"
  description = "Instance the AMI is built on (a GPU type, so the build can check the driver)."
}

variable "node_version" {
  type        = string
  default     = "24.11.1"
  description = "Node.js version installed from the official linux-x64 release tarball."
}

variable "node_sha256" {
  type        = string
  default     = "60e3b0a8500819514aca603487c254298cd776de0698d3cd08f11dba5b8289a8"
  description = "sha256 of node-v<node_version>-linux-x64.tar.xz, as nodejs.org's SHASUMS256.txt lists it: changed together with node_version."
}

variable "model" {
  type        = string
  default     = "mobilenetv2-12-int8"
  description = "Default model the image's workers serve, recorded in its glimpse:model tag (a name in core/models/registry.ts); every built-in model is baked whatever it names."
}

variable "ami_name_prefix" {
  type        = string
  default     = "glimpse-worker"
  description = "AMI names are this prefix and the build time."
}

locals {
  build_time = formatdate("YYYYMMDD-hhmmss", timestamp())
  app_dir    = "/opt/glimpse/app"
  model_dir  = "/opt/glimpse/models"
}

source "amazon-ebs" "worker" {
  region        = var.region
  instance_type = var.build_instance_type
  ami_name      = "${var.ami_name_prefix}-${local.build_time}"
  ssh_username  = "ubuntu"

  # Packer's temporary security group admits SSH from builder_cidr only (its default is 0.0.0.0/0).
  temporary_security_group_source_cidrs = [var.builder_cidr]

  source_ami_filter {
    filters = {
      name                = var.base_ami_name
      architecture        = "x86_64"
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = ["amazon"]
    most_recent = true
  }

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = 100
    volume_type           = "gp3"
    iops                  = 3000
    throughput            = 125
    delete_on_termination = true
    encrypted             = true
  }

  tags = {
    Name            = "${var.ami_name_prefix}-${local.build_time}"
    "glimpse:model" = var.model
    "glimpse:role"  = "worker"
  }
}

build {
  sources = ["source.amazon-ebs.worker"]

  # IMDSv2 only, hop limit 1, before anything is installed. Debian's Packer 1.6 has no
  # metadata_options block (Packer 1.7+ sets http_tokens = "required" at launch); this runs where
  # Packer runs, with the credentials Packer uses, on the instance Packer just started. An account
  # default (`aws ec2 modify-instance-metadata-defaults`, docs/deploy.md) covers the boot too.
  provisioner "shell-local" {
    inline = [
      "aws ec2 modify-instance-metadata-options --region ${var.region} --instance-id ${build.ID} --http-endpoint enabled --http-tokens required --http-put-response-hop-limit 1",
    ]
  }

  provisioner "file" {
    source      = var.worker_tarball
    destination = "/tmp/glimpse-worker.tgz"
  }

  provisioner "file" {
    source      = "${path.root}/files/glimpse-worker.service"
    destination = "/tmp/glimpse-worker.service"
  }

  provisioner "file" {
    source      = "${path.root}/files/glimpse-worker.path"
    destination = "/tmp/glimpse-worker.path"
  }

  provisioner "shell" {
    execute_command = "sudo -E bash '{{ .Path }}'"
    environment_vars = [
      "NODE_VERSION=${var.node_version}",
      "NODE_SHA256=${var.node_sha256}",
      "APP_DIR=${local.app_dir}",
      "GLIMPSE_MODEL=${var.model}",
      "GLIMPSE_MODEL_CACHE=${local.model_dir}",
      "WORKER_TARBALL=/tmp/glimpse-worker.tgz",
      "UNIT_DIR=/tmp",
    ]
    scripts = [
      "${path.root}/scripts/install-node.sh",
      "${path.root}/scripts/install-worker.sh",
      "${path.root}/scripts/bake-model.sh",
      "${path.root}/scripts/install-units.sh",
    ]
  }
}
