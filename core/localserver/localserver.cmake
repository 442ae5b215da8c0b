# SPDX-License-Identifier: GPL-3.0-or-later
# core/localserver sources: the CodaLab-compatible local server (HTTP/1.1 on Qt Network and http-parser, the
# nodejs parser Qt HttpServer uses inside; storage on Qt Sql/SQLite)
find_package(Qt6 REQUIRED COMPONENTS Sql)
# http-parser ships no pkg-config or CMake file.
find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h)
find_library(HTTP_PARSER_LIBRARY NAMES http_parser)
if(NOT HTTP_PARSER_INCLUDE_DIR OR NOT HTTP_PARSER_LIBRARY)
    message(FATAL_ERROR "http-parser (http_parser.h and libhttp_parser) was not found; the local server parses "
        "HTTP with it. Install it (Debian/Ubuntu: apt-get install libhttp-parser-dev), or point "
        "HTTP_PARSER_INCLUDE_DIR and HTTP_PARSER_LIBRARY at it.")
endif()
target_sources(codalab_core PRIVATE
    localserver/authroutes.cpp
    localserver/bundleactions.cpp
    localserver/bundledocument.cpp
    localserver/bundlejson.cpp
    localserver/bundlemaker.cpp
    localserver/bundlemetadata.cpp
    localserver/bundlerecord.cpp
    localserver/bundleremoval.cpp
    localserver/bundleroutes.cpp
    localserver/bundlesearch.cpp
    localserver/bundlespec.cpp
    localserver/bundleuploads.cpp
    localserver/bundlestore.cpp
    localserver/checkinfields.cpp
    localserver/contentroutes.cpp
    localserver/httpconnection.cpp
    localserver/httprequestparser.cpp
    localserver/httpresponder.cpp
    localserver/httpresponse.cpp
    localserver/genpath.cpp
    localserver/interpretroutes.cpp
    localserver/jsonapi.cpp
    localserver/jsonapiincluded.cpp
    localserver/localhttpserver.cpp
    localserver/localserver.cpp
    localserver/localserverconfig.cpp
    localserver/permission.cpp
    localserver/quotameter.cpp
    localserver/runreconciler.cpp
    localserver/scheduler.cpp
    localserver/serverschema.cpp
    localserver/serverstore.cpp
    localserver/storerecovery.cpp
    localserver/userjson.cpp
    localserver/userroutes.cpp
    localserver/workerhub.cpp
    localserver/workerreadproxy.cpp
    localserver/worksheetinterpreter.cpp
    localserver/worksheetjson.cpp
    localserver/worksheetroutes.cpp
    localserver/worksheetspec.cpp
    localserver/worksheetstore.cpp
)
# PUBLIC: httprequestparser.h includes http_parser.h.
target_include_directories(codalab_core SYSTEM PUBLIC ${HTTP_PARSER_INCLUDE_DIR})
target_link_libraries(codalab_core PUBLIC Qt6::Sql ${HTTP_PARSER_LIBRARY})
