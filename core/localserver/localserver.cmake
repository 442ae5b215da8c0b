# SPDX-License-Identifier: GPL-3.0-or-later
# core/localserver sources: the CodaLab-compatible local server (its own HTTP/1.1 parser on Qt Network + Qt Sql/SQLite)
find_package(Qt6 REQUIRED COMPONENTS Sql)
target_sources(codalab_core PRIVATE
    localserver/authroutes.cpp
    localserver/bundlejson.cpp
    localserver/bundlemetadata.cpp
    localserver/bundlerecord.cpp
    localserver/bundleroutes.cpp
    localserver/bundlestore.cpp
    localserver/contentroutes.cpp
    localserver/httpconnection.cpp
    localserver/httprequestparser.cpp
    localserver/httpresponder.cpp
    localserver/httpresponse.cpp
    localserver/jsonapi.cpp
    localserver/localhttpserver.cpp
    localserver/localserver.cpp
    localserver/localserverconfig.cpp
    localserver/runreconciler.cpp
    localserver/scheduler.cpp
    localserver/serverstore.cpp
    localserver/storerecovery.cpp
    localserver/workerhub.cpp
    localserver/workerreadproxy.cpp
    localserver/worksheetroutes.cpp
)
target_link_libraries(codalab_core PUBLIC Qt6::Sql)
