// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/GlobalOptions.h"

#include <QMainWindow>

namespace ApoloDeploy {

class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const GlobalOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    GlobalOptions m_options;
};

} // namespace ApoloDeploy
