# SPDX-License-Identifier: GPL-3.0-or-later
# core/system sources: machine specs (CPU, memory, disk, GPUs from nvidia-smi), their history, and which
# container uses which GPU
target_sources(codalab_core PRIVATE
    system/cgroupcontainer.cpp
    system/gpuinfo.cpp
    system/gpuprobe.cpp
    system/gpuprocess.cpp
    system/gpuprocessprobe.cpp
    system/machinehistory.cpp
    system/nvidiasmi.cpp
    system/machineprobe.cpp
    system/machinespecs.cpp
)
