# SPDX-License-Identifier: GPL-3.0-or-later
# core/server sources: the CodaLab REST client (user side; the worker side follows)
target_sources(codalab_core PRIVATE
    server/apierror.cpp
    server/bundlestate.cpp
    server/bundleupload.cpp
    server/chunkedput.cpp
    server/apijob.cpp
    server/codalabclient.cpp
    server/contentsdownload.cpp
    server/runfollower.cpp
    server/runrequest.cpp
    server/runstagewords.cpp
    server/runsubmission.cpp
    server/serverconnection.cpp
    server/tokenmanager.cpp
    server/uploadcache.cpp
    server/uploadsource.cpp
    server/workerapi.cpp
)
