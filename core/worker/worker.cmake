# SPDX-License-Identifier: GPL-3.0-or-later
# core/worker sources: the worker engine (codalab-worker)
target_sources(codalab_core PRIVATE
    worker/resourceallocator.cpp
    # the engine: main loop, run state machine, state file, status
    worker/workerconfig.cpp
    worker/worker.cpp
    worker/dockerhealth.cpp
    worker/workerstatus.cpp
    worker/workercontrol.cpp
    worker/workernetworks.cpp
    worker/workersnapshot.cpp
    worker/checkinbody.cpp
    worker/checkinloop.cpp
    worker/containerwatch.cpp
    worker/runrecord.cpp
    worker/resourcehistory.cpp
    worker/resourcemonitor.cpp
    worker/runhistorystore.cpp
    worker/run.cpp
    worker/runintake.cpp
    worker/runcontainer.cpp
    worker/rundirectory.cpp
    worker/statefile.cpp
    worker/savescheduler.cpp
    # caches of dependencies and Docker images
    worker/dependencycache.cpp
    worker/dependencycachestate.cpp
    worker/imagecache.cpp
    worker/cachecleaner.cpp
    # the server's read/write messages for running bundles
    worker/runfilereader.cpp
    worker/filesummary.cpp
    worker/gzipfilewriter.cpp
    worker/linescanner.cpp
    worker/runreadservice.cpp
    # results and the run directory's size
    worker/directorysizer.cpp
    worker/resultuploader.cpp
    # the control socket (JSON-RPC 2.0)
    worker/controlcall.cpp
    worker/controlclient.cpp
    worker/controlerror.cpp
    worker/controlserver.cpp
    worker/controlsocketfile.cpp
)
