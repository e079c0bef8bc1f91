// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/chat/MessageWidget.h"

#include "chat/Conversation.h"
#include "models/ChatMessageModel.h"
#include "ui/chat/ThinkingSection.h"

#include <QAbstractTextDocumentLayout>
#include <QApplication>
#include <QClipboard>
#include <QContextMenuEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace ApoloDeploy {

namespace {

bool isCodeBlock(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    return format.hasProperty(QTextFormat::BlockCodeFence) || format.hasProperty(QTextFormat::BlockCodeLanguage) ||
           format.nonBreakableLines();
}

} // namespace

MessageBody::MessageBody(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("messageBodyTextBrowser"));
    setOpenExternalLinks(true);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    // The message row paints the background (your messages are shaded), not the text view.
    viewport()->setAutoFillBackground(false);
    setAutoFillBackground(false);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    document()->setUndoRedoEnabled(false);
    document()->setDocumentMargin(2);
    connect(document()->documentLayout(), &QAbstractTextDocumentLayout::documentSizeChanged, this,
            &MessageBody::fitHeight);
}

QSize MessageBody::sizeHint() const
{
    return {QTextBrowser::sizeHint().width(), int(document()->size().height()) + 2 * frameWidth()};
}

QSize MessageBody::minimumSizeHint() const
{
    return {100, sizeHint().height()};
}

void MessageBody::resizeEvent(QResizeEvent *event)
{
    QTextBrowser::resizeEvent(event);
    fitHeight();
}

void MessageBody::fitHeight()
{
    const int height = int(document()->size().height()) + 2 * frameWidth();
    if (height != this->height())
        setFixedHeight(height);
}

QString MessageBody::codeBlockAt(int position) const
{
    QTextBlock block = document()->findBlock(position);
    if (!block.isValid() || !isCodeBlock(block))
        return {};
    QTextBlock first = block;
    while (first.previous().isValid() && isCodeBlock(first.previous()))
        first = first.previous();
    QStringList lines;
    for (QTextBlock b = first; b.isValid() && isCodeBlock(b); b = b.next())
        lines << b.text();
    return lines.join(QLatin1Char('\n'));
}

void MessageBody::contextMenuEvent(QContextMenuEvent *event)
{
    std::unique_ptr<QMenu> menu(createStandardContextMenu(event->pos()));
    const QString code = codeBlockAt(cursorForPosition(event->pos()).position());
    if (!code.isEmpty()) {
        QAction *copyCode = new QAction(tr("Copy code block"), menu.get());
        connect(copyCode, &QAction::triggered, this, [code] { QApplication::clipboard()->setText(code); });
        menu->insertAction(menu->actions().value(0), copyCode);
        menu->insertSeparator(menu->actions().value(1));
    }
    menu->exec(event->globalPos());
}

MessageWidget::MessageWidget(QWidget *parent)
    : QWidget(parent)
    , m_header(new QLabel(this))
    , m_thinking(new ThinkingSection(this))
    , m_body(new MessageBody(this))
    , m_notice(new QLabel(this))
    , m_metrics(new QLabel(this))
    , m_copy(new QToolButton(this))
    , m_copyCode(new QToolButton(this))
    , m_regenerate(new QToolButton(this))
    , m_edit(new QToolButton(this))
    , m_renderer(std::make_unique<MarkdownStreamRenderer>(m_body->document()))
{
    setObjectName(QStringLiteral("messageWidget"));
    m_header->setObjectName(QStringLiteral("messageHeaderLabel"));
    m_notice->setObjectName(QStringLiteral("messageNoticeLabel"));
    m_metrics->setObjectName(QStringLiteral("messageMetricsLabel"));
    m_notice->setWordWrap(true);
    m_notice->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; }"));
    m_metrics->setStyleSheet(QStringLiteral("QLabel { color: palette(placeholder-text); }"));
    m_metrics->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Wraps rather than widening the row past the view (the list never scrolls sideways).
    m_metrics->setWordWrap(true);
    m_copy->setObjectName(QStringLiteral("copyMessageToolButton"));
    m_copy->setText(tr("Copy"));
    m_copy->setAccessibleName(tr("Copy this message as Markdown"));
    m_copy->setAutoRaise(true);
    m_copyCode->setObjectName(QStringLiteral("copyCodeToolButton"));
    m_copyCode->setText(tr("Copy code"));
    m_copyCode->setAccessibleName(tr("Copy one of the code blocks of this answer"));
    m_copyCode->setAutoRaise(true);
    m_copyCode->setPopupMode(QToolButton::InstantPopup);
    m_copyCode->setMenu(new QMenu(m_copyCode));
    m_copyCode->setVisible(false);
    connect(m_copyCode->menu(), &QMenu::aboutToShow, this, &MessageWidget::fillCopyCodeMenu);
    m_regenerate->setObjectName(QStringLiteral("regenerateToolButton"));
    m_regenerate->setText(tr("Regenerate"));
    m_regenerate->setAccessibleName(tr("Ask for a new answer"));
    m_regenerate->setAutoRaise(true);
    m_edit->setObjectName(QStringLiteral("editToolButton"));
    m_edit->setText(tr("Edit"));
    m_edit->setAccessibleName(tr("Edit this message and ask again"));
    m_edit->setAutoRaise(true);

    auto *footer = new QHBoxLayout;
    footer->setContentsMargins(0, 0, 0, 0);
    footer->addWidget(m_metrics, 1);
    footer->addWidget(m_edit);
    footer->addWidget(m_regenerate);
    footer->addWidget(m_copyCode);
    footer->addWidget(m_copy);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setSpacing(2);
    layout->addWidget(m_header);
    layout->addWidget(m_thinking);
    layout->addWidget(m_body);
    layout->addWidget(m_notice);
    layout->addLayout(footer);

    connect(m_copy, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_isUser ? m_userText : m_renderer->source()); });
    connect(m_regenerate, &QToolButton::clicked, this, &MessageWidget::regenerateRequested);
    connect(m_edit, &QToolButton::clicked, this, [this] { Q_EMIT editRequested(m_userText); });
}

MessageWidget::~MessageWidget() = default;

void MessageWidget::sync(const QModelIndex &index, bool isLastAnswer)
{
    const QString role = index.data(ChatMessageModel::RoleNameRole).toString();
    const bool streaming = index.data(ChatMessageModel::IsStreamingRole).toBool();
    const auto state = ChatMessage::State(index.data(ChatMessageModel::StateRole).toInt());
    m_isUser = role == QLatin1String("user");
    const QString content = index.data(ChatMessageModel::ContentRole).toString();
    setAccessibleName(m_isUser ? tr("Your message") : tr("Answer"));

    m_header->setText(m_isUser ? tr("<b>You</b>") : tr("<b>Assistant</b>"));
    // Your turns sit on a shaded band so the eye finds where each answer starts.
    setAutoFillBackground(m_isUser);
    setBackgroundRole(m_isUser ? QPalette::AlternateBase : QPalette::Base);
    m_edit->setVisible(m_isUser && !streaming);
    m_regenerate->setVisible(!m_isUser && isLastAnswer && !streaming);
    m_copy->setVisible(!streaming);
    // The source only grows while streaming, so this is checked once the answer is complete.
    m_copyCode->setVisible(!m_isUser && !streaming && content.contains(QLatin1String("``")));

    if (m_isUser) {
        if (content != m_userText) {
            m_userText = content;
            m_body->setPlainText(content);
        }
    } else if (content.size() >= m_renderer->source().size() &&
               QStringView(content).left(m_renderer->source().size()) == m_renderer->source()) {
        m_renderer->append(content.mid(m_renderer->source().size()));
        if (!streaming)
            m_renderer->render();
    } else {
        m_renderer->setText(content); // replaced: regenerate, reclassified thinking, a loaded message
    }

    const QString reasoning = index.data(ChatMessageModel::ReasoningRole).toString();
    m_thinking->setVisible(!reasoning.isEmpty());
    const qsizetype shown = m_thinking->textLength() + m_pendingReasoning.size();
    if (reasoning.size() >= shown) {
        m_pendingReasoning += reasoning.mid(shown);
    } else {
        m_pendingReasoning.clear();
        m_thinking->setText(reasoning);
    }
    if (!streaming && !m_pendingReasoning.isEmpty())
        m_thinking->appendText(std::exchange(m_pendingReasoning, QString()));
    m_thinking->setLabel(index.data(ChatMessageModel::ThinkingLabelRole).toString());

    QString notice = index.data(ChatMessageModel::NoticeRole).toString();
    const QString error = index.data(ChatMessageModel::ErrorRole).toString();
    if (!error.isEmpty())
        notice = notice.isEmpty() ? error : notice + QLatin1Char('\n') + error;
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
    m_notice->setStyleSheet(state == ChatMessage::State::Failed ? QStringLiteral("QLabel { color: #c62828; }")
                                                                : QStringLiteral("QLabel { color: #b26a00; }"));
    m_metrics->setText(index.data(ChatMessageModel::MetricsRole).toString());
}

void MessageWidget::fillCopyCodeMenu()
{
    QMenu *menu = m_copyCode->menu();
    menu->clear();
    const QList<MarkdownStreamRenderer::CodeBlock> blocks = MarkdownStreamRenderer::codeBlocks(m_renderer->source());
    for (const MarkdownStreamRenderer::CodeBlock &block : blocks) {
        QString firstLine = block.code.section(QLatin1Char('\n'), 0, 0).trimmed();
        if (firstLine.size() > 48)
            firstLine = firstLine.left(47) + QChar(0x2026);
        const QString label = block.language.isEmpty() ? firstLine : block.language + QStringLiteral(": ") + firstLine;
        const QString code = block.code;
        menu->addAction(label, this, [code] { QApplication::clipboard()->setText(code); });
    }
    if (blocks.isEmpty())
        menu->addAction(tr("This answer has no code block"))->setEnabled(false);
}

bool MessageWidget::renderPending()
{
    bool changed = false;
    if (!m_pendingReasoning.isEmpty()) {
        m_thinking->appendText(std::exchange(m_pendingReasoning, QString()));
        changed = true;
    }
    return m_renderer->render() || changed;
}

} // namespace ApoloDeploy
