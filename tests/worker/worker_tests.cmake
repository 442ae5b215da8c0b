# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of core/worker and codalab-worker
codalab_add_test(test_worker_units unit SOURCES worker/test_resourceallocator.cpp worker/test_runrecord.cpp
    worker/test_resourcehistory.cpp worker/test_runlog.cpp worker/test_savescheduler.cpp)
codalab_add_test(test_worker_control unit SOURCES worker/test_control.cpp worker/test_control_socket.cpp
    worker/test_dockerhealth.cpp)
codalab_add_test(test_worker_readers integration SOURCES
    worker/test_runfilereader.cpp
    worker/test_runreadservice.cpp
    LIBRARIES LibArchive::LibArchive)
codalab_add_test(test_worker_upload integration SOURCES
    worker/test_resultuploader.cpp
    worker/test_resultuploader_retries.cpp
    worker/uploadtestsupport.cpp
    worker/scriptedserver.cpp
    worker/test_directorysizer.cpp)
codalab_add_test(test_worker_caches integration DOCKER SOURCES
    worker/test_dependencycache.cpp
    worker/test_imagecache.cpp
    worker/test_cache_control.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
# The engine against a real dockerd and a real codalab-local-server, in process and as the executable.
codalab_add_test(test_worker_engine integration DOCKER SOURCES
    worker/test_worker_runs.cpp
    worker/test_worker_limits.cpp
    worker/test_worker_availability.cpp
    worker/test_worker_daemon.cpp
    worker/test_worker_gpus.cpp
    worker/test_worker_gpu_use.cpp
    worker/workerharness.cpp
    worker/workerprocess.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_worker_engine PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>"
    FAKE_NVIDIA_SMI="${CMAKE_CURRENT_SOURCE_DIR}/system/fake-nvidia-smi")
add_dependencies(test_worker_engine codalab-worker)

# Faults (issue #8): kill -9 with runs in flight, the server gone, a full disk, a corrupted state file.
codalab_add_test(test_worker_faults integration DOCKER SOURCES
    worker/test_worker_faults.cpp
    worker/scriptedserver.cpp
    worker/workerharness.cpp
    worker/workerprocess.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_worker_faults PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>")
add_dependencies(test_worker_faults codalab-worker)
# What a run container can and cannot do, seen from inside it, and a dockerd restart mid-run (issue #8).
codalab_add_test(test_worker_isolation integration DOCKER SOURCES
    worker/test_worker_isolation.cpp
    worker/test_worker_dockerd.cpp
    worker/workerharness.cpp
    worker/workerprocess.cpp
    util/tarbuilder.cpp
    LIBRARIES LibArchive::LibArchive)
target_compile_definitions(test_worker_isolation PRIVATE CODALAB_WORKER_BIN="$<TARGET_FILE:codalab-worker>"
    CODALAB_SCRIPTS_DIR="${PROJECT_SOURCE_DIR}/scripts")
add_dependencies(test_worker_isolation codalab-worker)
