// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/GlobalOptions.h"

namespace ApoloDeploy::GuiApp {

// Creates the QApplication and the main window; returns the exit code.
int run(int &argc, char **argv, const GlobalOptions &options);

} // namespace ApoloDeploy::GuiApp
