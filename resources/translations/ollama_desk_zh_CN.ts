<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AnswerNotice</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="50"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="51"/>
        <source>Ask the same question again</source>
        <translation>再问一次同样的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="52"/>
        <source>Retry without thinking</source>
        <translation>关闭思考后重试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="53"/>
        <source>Ask again with the model&apos;s thinking turned off</source>
        <translation>关闭模型的思考后再问一次</translation>
    </message>
</context>
<context>
    <name>AnswersView</name>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="181"/>
        <source>No answer: {0}</source>
        <translation>没有回答：{0}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <location filename="../../desktop/app.py" line="284"/>
        <source>Ollama Desk started a new history</source>
        <translation>Ollama Desk 已开始新的历史记录</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="275"/>
        <source>Ollama Desk cannot open its data</source>
        <translation>Ollama Desk 无法打开其数据</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="276"/>
        <source>%1

Your data folder is %2.</source>
        <translation>%1

您的数据文件夹是 %2。</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="30"/>
        <source>Allow a tool to run?</source>
        <translation>允许运行工具吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="33"/>
        <source>The model wants to use {tool}, which reaches the network.</source>
        <translation>模型想使用 {tool}，它会访问网络。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="35"/>
        <source>The model wants to use {tool}, which can change things.</source>
        <translation>模型想使用 {tool}，它可能会更改内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="37"/>
        <source>It comes from the MCP server {server}.</source>
        <translation>它来自 MCP 服务器 {server}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="43"/>
        <source>The arguments the model gave</source>
        <translation>模型给出的参数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="46"/>
        <source>Allow once</source>
        <translation>仅允许这一次</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="47"/>
        <source>Always in this conversation</source>
        <translation>在此对话中始终允许</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="48"/>
        <source>Deny</source>
        <translation>拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/approval_dialog.py" line="58"/>
        <source>Arguments:</source>
        <translation>参数：</translation>
    </message>
</context>
<context>
    <name>AttachmentTray</name>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="47"/>
        <source>Attach…</source>
        <translation>附加…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="56"/>
        <source>Use it as a document instead</source>
        <translation>改为作为文档使用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="58"/>
        <source>Attach it to the conversation: each answer then uses its most relevant passages</source>
        <translation>将其附加到此对话：之后每次回答都会使用其中最相关的段落</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="102"/>
        <source>Choose a model first.</source>
        <translation>请先选择一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="105"/>
        <source>%1 cannot read images. Choose a vision model to send pictures.</source>
        <translation>%1 无法读取图片。要发送图片，请选择一个视觉模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="109"/>
        <source>The server did not say whether %1 can read images.</source>
        <translation>服务器没有说明 %1 能否读取图片。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="110"/>
        <source>this model</source>
        <translation>此模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="118"/>
        <source>Text and code files (%1)</source>
        <translation>文本和代码文件 (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="124"/>
        <source>Images and text files (%1)</source>
        <translation>图片和文本文件 (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="125"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="126"/>
        <source>Attach files</source>
        <translation>附加文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="145"/>
        <source>%1 cannot be attached: only images (PNG, JPEG, WebP) and text files.</source>
        <translation>无法附加 %1：只能附加图片（PNG、JPEG、WebP）和文本文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="158"/>
        <source>pasted image.png</source>
        <translation>粘贴的图片.png</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="170"/>
        <source>%1 is too large for this conversation&apos;s context (about %2 tokens, room for %3).</source>
        <translation>%1 超出了此对话的上下文长度（约 %2 个词元，剩余空间 %3）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="241"/>
        <source>Attach images or text files</source>
        <translation>附加图片或文本文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="244"/>
        <source>Attach text files. %1</source>
        <translation>附加文本文件。%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/attachment_tray.py" line="249"/>
        <source>Reading the attached documents…</source>
        <translation>正在读取附加的文档…</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../../desktop/ui/widgets/chat_header.py" line="52"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
</context>
<context>
    <name>CalibrationController</name>
    <message>
        <location filename="../../desktop/ui/controllers/calibration_controller.py" line="63"/>
        <source>No model is installed to measure with.</source>
        <translation>没有已安装的模型可用于测量。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/calibration_controller.py" line="74"/>
        <source>Measuring was cancelled.</source>
        <translation>测量已取消。</translation>
    </message>
</context>
<context>
    <name>Capabilities</name>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="28"/>
        <source>chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="29"/>
        <source>tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="30"/>
        <source>vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="31"/>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="32"/>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="33"/>
        <source>fill-in</source>
        <translation>代码补全</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="34"/>
        <source>audio</source>
        <translation>音频</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="35"/>
        <source>image generation</source>
        <translation>图像生成</translation>
    </message>
</context>
<context>
    <name>CatalogBrowser</name>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="60"/>
        <source>Search models, e.g. qwen, code, vision, 中文</source>
        <translation>搜索模型，例如 qwen、code、vision、中文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="64"/>
        <source>All uses</source>
        <translation>全部用途</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="65"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="66"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="67"/>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="68"/>
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="69"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="72"/>
        <source>Only what runs well here</source>
        <translation>只看适合本机的</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="74"/>
        <source>Tags that fit this computer and answer at {0} tokens/s or more.</source>
        <translation>适合本机且每秒至少生成 {0} 个词元的标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="83"/>
        <source>Model / tag</source>
        <translation>模型 / 标签</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="84"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="85"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="86"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="87"/>
        <source>On this computer</source>
        <translation>本机情况</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="88"/>
        <source>Description</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="96"/>
        <source>Pull selected</source>
        <translation>下载所选</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="99"/>
        <source>Catalog dated {0}; works offline.</source>
        <translation>目录更新于 {0}，可离线使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="103"/>
        <source>The model catalog is not available. You can still type any tag in Downloads.</source>
        <translation>模型目录不可用。你仍可以在“下载”中输入任意标签。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="147"/>
        <source>Needs about {0}; it fits in your GPU memory ({1} usable).</source>
        <translation>约需 {0}，可完全放入 GPU 显存（可用 {1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="258"/>
        <source>Tags listed: {0}</source>
        <translation>列出的标签：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="275"/>
        <source>Nothing that matches runs at {0} tokens/s or more here (matching tags: {1}). Untick “Only what runs well here” to see them.</source>
        <translation>匹配的标签在本机都达不到每秒 {0} 个词元（匹配的标签：{1} 个）。取消勾选“只看适合本机的”即可看到它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="278"/>
        <source>No tag matches “{0}”. Try a shorter word, or another use.</source>
        <translation>没有标签匹配“{0}”。请试试更短的词或其他用途。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="279"/>
        <source>No tag has this use.</source>
        <translation>没有标签具有此用途。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="143"/>
        <source>Needs about {0}, more than this computer can give a model ({1}).</source>
        <translation>约需 {0}，超出本机可分配给模型的内存（{1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="152"/>
        <source>Needs about {0}; your GPU holds {1}% of it and the rest runs on the CPU.</source>
        <translation>约需 {0}；GPU 可容纳其中 {1}%，其余在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="155"/>
        <source>Needs about {0}; it runs on the CPU from system memory ({1} usable).</source>
        <translation>约需 {0}；在 CPU 上使用系统内存运行（可用 {1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="160"/>
        <source>About {0} tokens/s: it fits, but answers slower than the {1} tokens/s a chat needs.</source>
        <translation>每秒约 {0} 个词元：放得下，但比对话所需的每秒 {1} 个词元慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="163"/>
        <source>About {0} tokens/s, fast enough for a chat ({1} tokens/s or more).</source>
        <translation>每秒约 {0} 个词元，对话够快（每秒 {1} 个词元或以上）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/catalog_browser.py" line="179"/>
        <source>Available once the hardware check has looked at this computer.</source>
        <translation>完成本机硬件检查后显示。</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../../desktop/ui/controllers/chat_controller.py" line="100"/>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/chat_controller.py" line="299"/>
        <source>The server of this conversation was removed; choose a model in the list.</source>
        <translation>此对话的服务器已被移除；请在列表中选择一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/chat_controller.py" line="366"/>
        <source>The reply failed: %1</source>
        <translation>回复失败：%1</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="73"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="74"/>
        <source>The model that answers in this conversation</source>
        <translation>在此对话中回答的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="76"/>
        <source>Options…</source>
        <translation>选项…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="77"/>
        <source>System prompt, temperature, context length and seed</source>
        <translation>系统提示词、温度、上下文长度和随机种子</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="82"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="90"/>
        <source>Show earlier messages</source>
        <translation>显示更早的消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="93"/>
        <source>Ask anything. Your conversation stays on this computer.</source>
        <translation>随便问。您的对话只保存在本机。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="148"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="304"/>
        <source>No model installed</source>
        <translation>未安装模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/chat_page.py" line="311"/>
        <source>%1 (not installed)</source>
        <translation>%1（未安装）</translation>
    </message>
</context>
<context>
    <name>CitationsView</name>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="64"/>
        <source>Sources</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="82"/>
        <source>[%1] %2, %3</source>
        <translation>[%1] %2，%3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="87"/>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="174"/>
        <source>Wrap</source>
        <translation>自动换行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="175"/>
        <source>Wrap long lines of this code</source>
        <translation>让这段代码的长行自动换行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="180"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="181"/>
        <source>Copy this code</source>
        <translation>复制这段代码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="185"/>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="201"/>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_body.py" line="220"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>CompareChart</name>
    <message>
        <location filename="../../desktop/ui/widgets/compare_chart.py" line="79"/>
        <source>Answer speed (median, min–max)</source>
        <translation>回答速度（中位数，最小–最大）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_chart.py" line="79"/>
        <source>tokens/s</source>
        <translation>词元/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_chart.py" line="80"/>
        <source>Memory while loaded (inner bar: on the GPU)</source>
        <translation>加载时占用的内存（内条：在 GPU 上）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_chart.py" line="80"/>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <location filename="../../desktop/ui/controllers/compare_controller.py" line="107"/>
        <source>The comparison could not be saved: {0}</source>
        <translation>无法保存这次比较：{0}</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="36"/>
        <source>d MMMM HH:mm</source>
        <comment>when a comparison ran, a Qt date format</comment>
        <translation>M月d日 HH:mm</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="48"/>
        <source>Tick the models to compare; they run in this order.</source>
        <translation>勾选要比较的模型；它们按此顺序运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="51"/>
        <source>One prompt per line</source>
        <translation>每行一个提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="59"/>
        <source>Run comparison</source>
        <translation>开始比较</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="60"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="62"/>
        <source>Refresh models</source>
        <translation>刷新模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="63"/>
        <source>Run again</source>
        <translation>再运行一次</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="65"/>
        <source>Run the comparison shown again: the same models, prompts and number of runs.</source>
        <translation>再次运行当前显示的比较：相同的模型、提示和运行次数。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="70"/>
        <source>Each model answers alone: the others are unloaded first, so each gets the whole machine.</source>
        <translation>每个模型单独回答：先卸载其他模型，让每个模型独享整台机器。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="78"/>
        <source>Runs per prompt</source>
        <translation>每个提示词运行次数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="79"/>
        <source>Longest answer (tokens)</source>
        <translation>最长回答（词元）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="86"/>
        <source>Installed models</source>
        <translation>已安装的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="89"/>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="94"/>
        <source>Saved comparisons</source>
        <translation>已保存的比较</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="100"/>
        <source>Each figure is the median of its runs, with the lowest and highest in brackets where they differ.</source>
        <translation>每个数字是各次运行的中位数；各次不同时，括号内为最低值和最高值。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="114"/>
        <source>Answers side by side</source>
        <translation>并排查看回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="115"/>
        <source>Every run</source>
        <translation>每次运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="136"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="137"/>
        <source>Failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="170"/>
        <source>Tick at least one model to compare.</source>
        <translation>请至少勾选一个要比较的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="173"/>
        <source>Write a prompt first.</source>
        <translation>请先写一个提示词。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="199"/>
        <source>Run {0} of {1}: {2}, run {3} of {4}…</source>
        <translation>第 {0}/{1} 次：{2}，第 {3}/{4} 轮…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="216"/>
        <source>Comparison of {0} models from {1}.</source>
        <translation>{1} 的 {0} 个模型比较。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="230"/>
        <source>{0} — {1}</source>
        <comment>a saved comparison: when it ran, its speeds</comment>
        <translation>{0} — {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_page.py" line="226"/>
        <source>{0}: {1} tokens/s</source>
        <translation>{0}：{1} 词元/秒</translation>
    </message>
</context>
<context>
    <name>ComposerBox</name>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="64"/>
        <source>Message the model (Enter sends, Shift+Enter for a new line)</source>
        <translation>给模型发消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="66"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="73"/>
        <location filename="../../desktop/ui/widgets/composer.py" line="182"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="81"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="83"/>
        <source>Take the waiting messages back into the box</source>
        <translation>把等待发送的消息放回输入框</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="134"/>
        <source>Wait for the reply to end to send attachments, or stop it.</source>
        <translation>请等回复结束后再发送附件，或先停止回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="136"/>
        <source>Type what you want to know about the attachments.</source>
        <translation>请输入你想就这些附件了解什么。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="182"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="184"/>
        <source>Stop the reply (Esc)</source>
        <translation>停止回复 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="184"/>
        <source>Send (Enter)</source>
        <translation>发送 (Enter)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="194"/>
        <source>Sent when this reply ends: %1</source>
        <translation>这条回复结束后发送：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/composer.py" line="197"/>
        <source>%1 messages wait for this reply to end, the first: %2</source>
        <translation>%1 条消息等这条回复结束后发送，第一条：%2</translation>
    </message>
</context>
<context>
    <name>ComposerCapabilities</name>
    <message>
        <location filename="../../desktop/ui/chat_capabilities.py" line="30"/>
        <source>Think</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_capabilities.py" line="66"/>
        <source>The model thinks before it answers; click to answer at once</source>
        <translation>模型会先思考再回答；点击后直接回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/chat_capabilities.py" line="68"/>
        <source>The model answers at once; click to let it think first</source>
        <translation>模型会直接回答；点击后让它先思考</translation>
    </message>
</context>
<context>
    <name>ConcurrencySettings</name>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="43"/>
        <source>Parallel requests per model</source>
        <translation>每个模型的并行请求数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="46"/>
        <source>Automatic (from free memory)</source>
        <translation>自动（按可用内存）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="52"/>
        <source>&amp;Parallel requests:</source>
        <translation>并行请求(&amp;P)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="58"/>
        <source>Models kept loaded</source>
        <translation>保持加载的模型数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="61"/>
        <source>Automatic (as many as fit)</source>
        <translation>自动（内存够用即可）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="66"/>
        <source>&amp;Loaded models:</source>
        <translation>加载的模型(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="71"/>
        <source>Keep a model loaded after its last request</source>
        <translation>最后一次请求后模型保持加载的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="74"/>
        <source>Server default (5 minutes)</source>
        <translation>服务器默认（5 分钟）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="75"/>
        <source>Unload at once</source>
        <translation>立即卸载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="76"/>
        <source>1 minute</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="77"/>
        <source>5 minutes</source>
        <translation>5 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="78"/>
        <source>30 minutes</source>
        <translation>30 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="79"/>
        <source>1 hour</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="80"/>
        <source>Until the server stops</source>
        <translation>直到服务器停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="85"/>
        <source>&amp;Keep loaded:</source>
        <translation>保持加载(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="88"/>
        <source>A loaded model answers at once but keeps its memory until this time has passed.</source>
        <translation>已加载的模型可立即回答，但在这段时间过去之前会一直占用内存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="96"/>
        <source>The built-in engine runs models on the CPU; Ollama uses your GPU. Changes apply the next time the app starts a server.</source>
        <translation>内置引擎在 CPU 上运行模型；Ollama 会使用你的 GPU。更改将在应用下次启动服务器时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="119"/>
        <source>Each request has its own context: {0} requests keep about {1} GB of context memory for an 8B model at {2} tokens ({3} GB each).</source>
        <translation>每个请求都有自己的上下文：对于 8B 模型、{2} 个 token 的上下文，{0} 个请求约占用 {1} GB 上下文内存（每个 {3} GB）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="132"/>
        <source>Each request has its own context, about {0} GB for an 8B model at {1} tokens; the built-in engine takes 4 when they fit in free memory, else 1.</source>
        <translation>每个请求都有自己的上下文，对于 8B 模型、{1} 个 token 约为 {0} GB；可用内存足够时内置引擎使用 4 个，否则使用 1 个。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="141"/>
        <source>Up to {0} models stay in memory at once: about {1} GB for 8B models.</source>
        <translation>最多同时在内存中保留 {0} 个模型：8B 模型约占用 {1} GB。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/concurrency_page.py" line="148"/>
        <source>Models stay loaded while memory allows; each 8B model takes about {0} GB.</source>
        <translation>内存允许时模型保持加载；每个 8B 模型约占用 {0} GB。</translation>
    </message>
</context>
<context>
    <name>ConnectionController</name>
    <message>
        <location filename="../../desktop/ui/controllers/connection_controller.py" line="105"/>
        <source>Could not start a model server: %1</source>
        <translation>无法启动模型服务器：%1</translation>
    </message>
</context>
<context>
    <name>ConversationDocuments</name>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="80"/>
        <source>Answers here use:</source>
        <translation>此对话的回答使用：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="154"/>
        <source>%1 is a folder: add it to a knowledge base on the Knowledge page.</source>
        <translation>%1 是文件夹：请在“知识库”页面将其添加到知识库。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="161"/>
        <source>%1 cannot be used as a document: PDF, Word, text, Markdown and HTML files can.</source>
        <translation>%1 不能用作文档：仅支持 PDF、Word、纯文本、Markdown 和 HTML 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="165"/>
        <source>%1 was not found.</source>
        <translation>找不到 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="175"/>
        <source>Attach documents to this conversation</source>
        <translation>将文档附加到此对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="177"/>
        <source>Documents (*.txt *.md *.pdf *.docx *.html *.htm)</source>
        <translation>文档 (*.txt *.md *.pdf *.docx *.html *.htm)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="200"/>
        <source>No knowledge bases yet: create one on the Knowledge page</source>
        <translation>还没有知识库：请在“知识库”页面创建</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="203"/>
        <source>Attach files…</source>
        <translation>附加文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="239"/>
        <source>%1 (knowledge base)</source>
        <translation>%1（知识库）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="240"/>
        <source>The answers in this conversation search %1.</source>
        <translation>此对话的回答会检索 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="249"/>
        <source>%1
Used whole when it fits the context; otherwise its most relevant passages.</source>
        <translation>%1
放得进上下文时整篇使用；否则使用其中最相关的段落。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="254"/>
        <source>%1 (not found)</source>
        <translation>%1（找不到）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="256"/>
        <source>%1 was not found, so the answers do without it. Remove it or put it back.</source>
        <translation>找不到 %1，回答将不使用它。请移除它或将其放回原处。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="266"/>
        <source>+%1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="269"/>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
</context>
<context>
    <name>ConversationSettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="32"/>
        <source>Conversation options</source>
        <translation>对话选项</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="35"/>
        <source>For example: You are a concise assistant. Answer in Chinese.</source>
        <translation>例如：你是一个简洁的助手，请用中文回答。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="37"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="42"/>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="47"/>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="53"/>
        <source>No limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="54"/>
        <source>The longest reply, in tokens; a reply stops there</source>
        <translation>回复最多的词元数；到此回复就停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="58"/>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="61"/>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="62"/>
        <source>Temperature:</source>
        <translation>温度：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="63"/>
        <source>Context length (tokens):</source>
        <translation>上下文长度（词元）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="64"/>
        <source>Longest reply (tokens):</source>
        <translation>最长回复（词元）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="65"/>
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="67"/>
        <source>Thinking:</source>
        <translation>思考：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="69"/>
        <source>Reply format:</source>
        <translation>回复格式：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_settings.py" line="72"/>
        <source>Tools:</source>
        <translation>工具：</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="38"/>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="84"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="40"/>
        <source>Start a new conversation (Ctrl+N)</source>
        <translation>开始新的对话 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="43"/>
        <source>Search all messages</source>
        <translation>搜索所有消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="44"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="53"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="60"/>
        <source>Search results</source>
        <translation>搜索结果</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="83"/>
        <source>Could not load this conversation</source>
        <translation>无法加载此对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="111"/>
        <source>Nothing found for “%1”</source>
        <translation>未找到“%1”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="180"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="181"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="190"/>
        <source>Rename conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="190"/>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="197"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_sidebar.py" line="198"/>
        <source>Delete “%1” for good? This cannot be undone.</source>
        <translation>要永久删除“%1”吗？此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <location filename="../../desktop/app.py" line="65"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="67"/>
        <source>Hardware</source>
        <translation>硬件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/measure_wiring.py" line="35"/>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="72"/>
        <source>Server models</source>
        <translation>服务器模型</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="75"/>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="115"/>
        <source>No model is installed yet. Download one to start chatting.</source>
        <translation>尚未安装任何模型。下载一个即可开始对话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="86"/>
        <source>Get a model</source>
        <translation>获取模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="108"/>
        <source>The model %1 is not installed on this server.</source>
        <translation>此服务器上未安装模型 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="89"/>
        <source>Download %1</source>
        <translation>下载 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="94"/>
        <source>Cannot reach a model server at %1. Your conversations are still here; start the built-in engine or Ollama, then retry.</source>
        <translation>无法连接 %1 上的模型服务器。你的对话都还在；请启动内置引擎或 Ollama，然后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/banner_controller.py" line="84"/>
        <source>Start engine</source>
        <translation>启动引擎</translation>
    </message>
</context>
<context>
    <name>DocumentsButton</name>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="48"/>
        <source>Documents</source>
        <translation>文档</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/conversation_documents.py" line="52"/>
        <source>Attach knowledge bases or files to this conversation (or drop files here)</source>
        <translation>将知识库或文件附加到此对话（也可将文件拖放到这里）</translation>
    </message>
</context>
<context>
    <name>FileChip</name>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="109"/>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="110"/>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
</context>
<context>
    <name>FormatChoice</name>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="55"/>
        <source>Reply format</source>
        <translation>回复格式</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="56"/>
        <source>Free text</source>
        <translation>自由文本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="57"/>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="58"/>
        <source>JSON following a schema</source>
        <translation>符合模式的 JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="60"/>
        <source>JSON schema</source>
        <translation>JSON 模式</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="88"/>
        <source>The schema is not valid JSON: %1</source>
        <translation>该模式不是有效的 JSON：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="90"/>
        <source>The schema must be a JSON object, such as {&quot;type&quot;: &quot;object&quot;}.</source>
        <translation>模式必须是一个 JSON 对象，例如 {&quot;type&quot;: &quot;object&quot;}。</translation>
    </message>
</context>
<context>
    <name>HardwareController</name>
    <message>
        <location filename="../../desktop/ui/controllers/hardware_controller.py" line="115"/>
        <source>This computer&apos;s hardware could not be checked: {0}</source>
        <translation>无法检查本机硬件：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/hardware_controller.py" line="117"/>
        <source>This computer&apos;s hardware could not be checked. The suggestions are unavailable.</source>
        <translation>无法检查本机硬件，暂无法给出模型建议。</translation>
    </message>
</context>
<context>
    <name>HardwarePanel</name>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="47"/>
        <source>Your computer and the models it can run</source>
        <translation>你的电脑及其可运行的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="52"/>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="144"/>
        <source>Checking this computer…</source>
        <translation>正在检查本机…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="54"/>
        <source>Check again</source>
        <translation>重新检查</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="68"/>
        <source>GPU</source>
        <translation>GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="68"/>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="88"/>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="313"/>
        <source>Memory</source>
        <translation>内存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="68"/>
        <source>Free</source>
        <translation>可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="68"/>
        <source>Driver</source>
        <translation>驱动</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="68"/>
        <source>Used by Ollama</source>
        <translation>Ollama 使用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="65"/>
        <source>Runs on your GPU</source>
        <translation>在 GPU 上运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="70"/>
        <source>Partly on GPU</source>
        <translation>部分在 GPU 上</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="88"/>
        <source>Too large</source>
        <translation>过大</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="75"/>
        <source>Runs on the CPU</source>
        <translation>在 CPU 上运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="80"/>
        <source>Fits, slow</source>
        <translation>放得下，但慢</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="90"/>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="66"/>
        <source>Runs on your GPU, about {0} tokens/s</source>
        <translation>在 GPU 上运行，每秒约 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="67"/>
        <source>Runs on your GPU, measured {0} tokens/s on {1}</source>
        <translation>在 GPU 上运行，{1}实测每秒 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="71"/>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="72"/>
        <source>Partly on GPU, about {0} tokens/s</source>
        <translation>部分在 GPU 上，每秒约 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="76"/>
        <source>Runs on the CPU, about {0} tokens/s</source>
        <translation>在 CPU 上运行，每秒约 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="77"/>
        <source>Runs on the CPU, measured {0} tokens/s on {1}</source>
        <translation>在 CPU 上运行，{1}实测每秒 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="81"/>
        <source>Fits, slow: about {0} tokens/s</source>
        <translation>放得下，但慢：每秒约 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="82"/>
        <source>Fits, slow: measured {0} tokens/s on {1}</source>
        <translation>放得下，但慢：{1}实测每秒 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="110"/>
        <source>d MMMM</source>
        <comment>the day a speed was measured, as a Qt date format</comment>
        <translation>M月d日</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="134"/>
        <source>measured {0} tokens/s here on {1}</source>
        <translation>{1}在本机实测每秒 {0} 个词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="140"/>
        <source>about {0} tokens/s here, predicted from the speeds measured here on {1}</source>
        <translation>本机每秒约 {0} 个词元，按{1}在本机实测的速度预测</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="144"/>
        <source>about {0} tokens/s here, an estimate: nothing was measured on the GPU yet</source>
        <translation>本机每秒约 {0} 个词元，这是估算：尚未在 GPU 上测量过</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="147"/>
        <source>about {0} tokens/s here, an estimate: nothing was measured on the CPU yet</source>
        <translation>本机每秒约 {0} 个词元，这是估算：尚未在 CPU 上测量过</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="150"/>
        <source>about {0} tokens/s here, an estimate: nothing has been measured on this computer yet</source>
        <translation>本机每秒约 {0} 个词元，这是估算：这台电脑尚未测量过</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="160"/>
        <source>Speeds are estimates from the processor and memory: nothing has been measured on this computer yet.</source>
        <translation>速度是按处理器和内存估算的：这台电脑尚未测量过。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="164"/>
        <source>Speeds are measured here or predicted from the speeds measured here (latest on {0}).</source>
        <translation>速度为本机实测，或按本机实测的速度预测（最近一次测量：{0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="177"/>
        <source>{0} also fits, slow: measured {1} tokens/s here on {2}.</source>
        <translation>{0} 也放得下，但慢：{2}在本机实测每秒 {1} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="180"/>
        <source>{0} also fits, slow: about {1} tokens/s.</source>
        <translation>{0} 也放得下，但慢：每秒约 {1} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="189"/>
        <source>{0} needs about {1}; your Mac lets the GPU use {2}, so it runs fully on the GPU, at about {3} tokens/s.</source>
        <translation>{0} 约需 {1}；你的 Mac 允许 GPU 使用 {2}，因此可完全在 GPU 上运行，每秒约 {3} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="194"/>
        <source>{0} needs about {1}; your GPU has {2} free, so it runs fully on the GPU, at about {3} tokens/s.</source>
        <translation>{0} 约需 {1}；你的 GPU 有 {2} 可用，因此可完全在 GPU 上运行，每秒约 {3} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="199"/>
        <source>{0} needs about {1}; your GPU has {2} free, so part of it would run on the CPU, at about {3} tokens/s.</source>
        <translation>{0} 约需 {1}；你的 GPU 只有 {2} 可用，因此一部分要在 CPU 上运行，每秒约 {3} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="205"/>
        <source>{0} needs about {1}, more than your GPU offers ({2}), so it would run on the CPU, at about {3} tokens/s.</source>
        <translation>{0} 约需 {1}，超出 GPU 可提供的 {2}，因此将在 CPU 上运行，每秒约 {3} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="210"/>
        <source>{0} needs about {1}; with no GPU to use, it runs on the CPU from the {2} of memory free for models, at about {3} tokens/s.</source>
        <translation>{0} 约需 {1}；没有可用的 GPU，将在 CPU 上使用可供模型的 {2} 内存运行，每秒约 {3} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="215"/>
        <source>{0} needs about {1}, more than this computer can give a model, so it will not load.</source>
        <translation>{0} 约需 {1}，超出本机可分配给模型的内存，无法加载。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="220"/>
        <source>That is below the {0} tokens/s a chat needs: it fits, but answers slowly.</source>
        <translation>低于对话所需的每秒 {0} 个词元：放得下，但回复较慢。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="235"/>
        <source>This computer has {0} of memory shared by the CPU and GPU; the GPU may use {1}.</source>
        <translation>本机有 {0} 内存，由 CPU 和 GPU 共享；GPU 最多可用 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="239"/>
        <source>This computer has {0} of RAM ({1} usable for models) and {2} with {3} free.</source>
        <translation>本机有 {0} 内存（{1} 可供模型使用），以及 {2}（{3} 可用）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="242"/>
        <source>This computer has {0} of RAM ({1} usable for models) and no GPU that Ollama can use, so models run on the CPU.</source>
        <translation>本机有 {0} 内存（{1} 可供模型使用），没有 Ollama 可用的 GPU，因此模型将在 CPU 上运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="252"/>
        <source>It suits {0} models: its GPU has the {1} the table asks for.</source>
        <translation>适合 {0} 模型：它的 GPU 有对照表要求的 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="255"/>
        <source>It suits {0} models: it has the {1} of RAM the table asks for.</source>
        <translation>适合 {0} 模型：它有对照表要求的 {1} 内存。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="265"/>
        <source>A {0} model would answer here at about {1} tokens/s, so the suggestions are smaller models that reach at least {2} tokens/s.</source>
        <translation>{0} 模型在本机每秒只能生成约 {1} 个词元，因此建议的是更小、每秒至少能生成 {2} 个词元的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="308"/>
        <source>Processor</source>
        <translation>处理器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="318"/>
        <source>Graphics</source>
        <translation>显卡</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="323"/>
        <source>Disk (models folder)</source>
        <translation>磁盘（模型文件夹）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="309"/>
        <source>4 cores</source>
        <translation>4 核</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="314"/>
        <source>8 GB</source>
        <translation>8 GB</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="319"/>
        <source>none needed</source>
        <translation>不需要</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="324"/>
        <source>10 GB free</source>
        <translation>10 GB 可用空间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="310"/>
        <source>8 cores</source>
        <translation>8 核</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="315"/>
        <source>32 GB</source>
        <translation>32 GB</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="320"/>
        <source>RTX 3060 (12 GB) or Apple M1 Pro</source>
        <translation>RTX 3060（12 GB）或 Apple M1 Pro</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="325"/>
        <source>50 GB free on an SSD</source>
        <translation>SSD 上 50 GB 可用空间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="345"/>
        <source>{0} cores</source>
        <translation>{0} 核</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="350"/>
        <source>{0}, sharing {1}</source>
        <translation>{0}，共享 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="352"/>
        <source>{0}, {1}</source>
        <translation>{0}，{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="353"/>
        <source>none that models can use</source>
        <translation>没有模型可用的显卡</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="356"/>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="369"/>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="358"/>
        <source>{0} free on an SSD</source>
        <translation>SSD 上 {0} 可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="360"/>
        <source>{0} free on a spinning disk</source>
        <translation>机械硬盘上 {0} 可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="361"/>
        <source>{0} free</source>
        <translation>{0} 可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="366"/>
        <source>meets the recommendation</source>
        <translation>达到推荐配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="367"/>
        <source>meets the minimum</source>
        <translation>达到最低配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="368"/>
        <source>below the minimum</source>
        <translation>低于最低配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="373"/>
        <source>{0}: {1}</source>
        <comment>a part of this computer: its verdict</comment>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="385"/>
        <source>{0} is a {1} download and needs about {2} of disk space.</source>
        <translation>{0} 需下载 {1}，约占 {2} 磁盘空间。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="387"/>
        <source>{0} is a {1} download and needs about {2} of disk space; {3} is free, enough.</source>
        <translation>{0} 需下载 {1}，约占 {2} 磁盘空间；当前可用 {3}，足够。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="391"/>
        <source>{0} is a {1} download and needs about {2} of disk space, but only {3} is free: free some space first.</source>
        <translation>{0} 需下载 {1}，约占 {2} 磁盘空间，但只有 {3} 可用：请先腾出空间。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="229"/>
        <source>{0} {1}</source>
        <comment>two sentences in a row</comment>
        <translation>{0}{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="284"/>
        <source>On battery: the suggestions are one size smaller, with a {0}-token context, to save power.</source>
        <translation>正在使用电池：为节省电量，建议的模型小一档，上下文为 {0} 个词元。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_text.py" line="292"/>
        <source>A container limit ({0}) caps memory at {1}; the computer itself has {2}.</source>
        <translation>容器限制（{0}）将内存限定为 {1}；本机实际有 {2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="184"/>
        <source>RAM: {0} free of {1}</source>
        <translation>内存：{0} 可用，共 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="192"/>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="193"/>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="229"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="196"/>
        <source>shares system memory</source>
        <translation>共享系统内存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="200"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="200"/>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="219"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="209"/>
        <source>{0}: {1} of GPU memory</source>
        <translation>{0}：{1} 显存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="212"/>
        <source>{0}: {1} free of {2}</source>
        <translation>{0}：{1} 可用，共 {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="219"/>
        <source>No GPU found</source>
        <translation>未找到 GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="228"/>
        <source>Processor: {0}, {1} cores, {2} threads</source>
        <translation>处理器：{0}，{1} 核 {2} 线程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="249"/>
        <source>{0} spilled to the CPU: {1} of {2} is on the GPU, the rest runs on the CPU, so replies are slower. A smaller model or a shorter context would fit.</source>
        <translation>{0} 部分溢出到 CPU：{2} 中有 {1} 在 GPU 上，其余在 CPU 上运行，因此回复较慢。换用更小的模型或更短的上下文即可放下。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_panel.py" line="254"/>
        <source>{0} is running on the CPU only, although this computer has a GPU.</source>
        <translation>本机有 GPU，但 {0} 仅在 CPU 上运行。</translation>
    </message>
</context>
<context>
    <name>HotkeyManager</name>
    <message>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="77"/>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="82"/>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="138"/>
        <source>The global shortcut is off.</source>
        <translation>全局快捷键已关闭。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="114"/>
        <source>Asking the desktop to allow {0}…</source>
        <translation>正在请求桌面允许 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="117"/>
        <source>No global shortcut method exists on this system.</source>
        <translation>此系统上没有可用的全局快捷键方式。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="121"/>
        <source>{0} opens Quick Ask from any application.</source>
        <translation>在任何应用中按 {0} 即可打开快速提问。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/__init__.py" line="149"/>
        <source>The global shortcut does not work here: {0} Instead, add a keyboard shortcut in your system settings that runs “{1}”.</source>
        <translation>全局快捷键在这里无法使用：{0} 请改为在系统设置中添加一个键盘快捷键，运行“{1}”。</translation>
    </message>
</context>
<context>
    <name>Hotkeys</name>
    <message>
        <location filename="../../desktop/ui/hotkeys/macos.py" line="51"/>
        <source>Carbon hot keys exist only on macOS.</source>
        <translation>Carbon 热键仅在 macOS 上可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/macos.py" line="57"/>
        <source>The Carbon framework could not be loaded.</source>
        <translation>无法加载 Carbon 框架。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/macos.py" line="95"/>
        <source>macOS refused the hot key handler (error {0}).</source>
        <translation>macOS 拒绝了热键处理程序（错误 {0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/macos.py" line="119"/>
        <location filename="../../desktop/ui/hotkeys/windows.py" line="84"/>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="189"/>
        <source>{0} is already used by another program.</source>
        <translation>{0} 已被其他程序占用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/macos.py" line="125"/>
        <source>macOS refused {0} (error {1}).</source>
        <translation>macOS 拒绝了 {0}（错误 {1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/windows.py" line="63"/>
        <source>RegisterHotKey exists only on Windows.</source>
        <translation>RegisterHotKey 仅在 Windows 上可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/windows.py" line="73"/>
        <source>The application is not running yet.</source>
        <translation>应用尚未运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/windows.py" line="89"/>
        <source>Windows refused {0} (error {1}).</source>
        <translation>Windows 拒绝了 {0}（错误 {1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="96"/>
        <source>The X11 library (libX11) is not installed.</source>
        <translation>未安装 X11 库（libX11）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="136"/>
        <source>There is no X11 display (DISPLAY is not set).</source>
        <translation>没有 X11 显示（未设置 DISPLAY）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="142"/>
        <source>Cannot open the X11 display {0}.</source>
        <translation>无法打开 X11 显示 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="159"/>
        <source>The keyboard layout has no key for {0}.</source>
        <translation>当前键盘布局中没有 {0} 对应的按键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/x11.py" line="194"/>
        <source>The X server refused {0} (error {1}).</source>
        <translation>X 服务器拒绝了 {0}（错误 {1}）。</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="41"/>
        <source>Image</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="46"/>
        <source>This image could not be shown.</source>
        <translation>无法显示这张图片。</translation>
    </message>
</context>
<context>
    <name>InstalledModelsModel</name>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="60"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="61"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="62"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="63"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="64"/>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="65"/>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="66"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
</context>
<context>
    <name>InstalledModelsPanel</name>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="204"/>
        <source>Filter installed models</source>
        <translation>筛选已安装的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="236"/>
        <source>No models installed yet. Open Downloads to pull one, or import a GGUF file.</source>
        <translation>尚未安装模型。打开“下载”页下载一个，或导入 GGUF 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="241"/>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="316"/>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="242"/>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="317"/>
        <source>Copy…</source>
        <translation>复制…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="243"/>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="318"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="246"/>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="320"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="248"/>
        <source>Import GGUF…</source>
        <translation>导入 GGUF…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="249"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="244"/>
        <location filename="../../desktop/ui/widgets/installed_models.py" line="319"/>
        <source>Quantize…</source>
        <translation>量化…</translation>
    </message>
</context>
<context>
    <name>KnowledgeController</name>
    <message>
        <location filename="../../desktop/ui/controllers/knowledge_controller.py" line="122"/>
        <source>Indexing stopped: %1. Add the files again to continue where it stopped.</source>
        <translation>索引已停止：%1。再次添加这些文件即可从中断处继续。</translation>
    </message>
</context>
<context>
    <name>KnowledgePage</name>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="50"/>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="52"/>
        <source>Knowledge bases</source>
        <translation>知识库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="55"/>
        <source>New…</source>
        <translation>新建…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="56"/>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="57"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="64"/>
        <source>Drop files or folders here, or create a knowledge base.</source>
        <translation>将文件或文件夹拖放到这里，或新建一个知识库。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="67"/>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="74"/>
        <source>The built-in embedding model understands English only: Chinese documents are still found by their words, and a multilingual model (bge-m3 or qwen3-embedding on Ollama) finds them by meaning too.</source>
        <translation>内置的嵌入模型只理解英文：中文文档仍可按词语找到；多语言模型（Ollama 上的 bge-m3 或 qwen3-embedding）还能按语义找到它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="83"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="84"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="85"/>
        <source>Use in this chat</source>
        <translation>在此对话中使用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="114"/>
        <source>%1 — %2 files, %3 chunks</source>
        <translation>%1 — %2 个文件，%3 个片段</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="143"/>
        <source>%1: drop files or folders here to add them.</source>
        <translation>%1：将文件或文件夹拖放到这里即可添加。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="147"/>
        <source>%1 — not indexed: %2</source>
        <translation>%1 — 未索引：%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="153"/>
        <source>%1 — %2 chunks</source>
        <translation>%1 — %2 个片段</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="158"/>
        <source>%1 — indexing…</source>
        <translation>%1 — 正在索引…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="169"/>
        <source>, about %1 s left</source>
        <translation>，约剩 %1 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="171"/>
        <source>Indexing %1: %2 of %3 files, %4 chunks, %5 chunks/s%6</source>
        <translation>正在索引 %1：%3 个文件中的 %2 个，%4 个片段，每秒 %5 个片段%6</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="185"/>
        <source>%1: %2 chunks added from %3 files.</source>
        <translation>%1：已从 %3 个文件添加 %2 个片段。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="191"/>
        <source>%1 files could not be read (see the list).</source>
        <translation>%1 个文件无法读取（见列表）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="198"/>
        <source>New knowledge base</source>
        <translation>新建知识库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="198"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="205"/>
        <source>Rename knowledge base</source>
        <translation>重命名知识库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="205"/>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="214"/>
        <source>Delete knowledge base</source>
        <translation>删除知识库</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="215"/>
        <source>Delete %1 and its index? Your files stay where they are.</source>
        <translation>删除 %1 及其索引？您的文件会保留在原处。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="222"/>
        <source>Add files</source>
        <translation>添加文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="222"/>
        <source>Documents (*.txt *.md *.pdf *.docx *.html *.htm)</source>
        <translation>文档 (*.txt *.md *.pdf *.docx *.html *.htm)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="227"/>
        <source>Add folder</source>
        <translation>添加文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="236"/>
        <source>Create a knowledge base first, then add files to it.</source>
        <translation>请先新建一个知识库，再向其中添加文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="249"/>
        <source>Open a conversation first, then attach the knowledge base to it.</source>
        <translation>请先打开一个对话，再将知识库附加到其中。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="244"/>
        <location filename="../../desktop/ui/widgets/knowledge_page.py" line="255"/>
        <source>The next answers in this conversation use %1.</source>
        <translation>此对话接下来的回答将使用 %1。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="50"/>
        <source>Ollama Desk</source>
        <translation>Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="60"/>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="76"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="91"/>
        <source>Chats</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="92"/>
        <source>Show or hide the conversation list (%1)</source>
        <translation>显示或隐藏对话列表（%1）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="184"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="185"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="188"/>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="193"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="196"/>
        <source>&amp;Conversation</source>
        <translation>对话(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="197"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="198"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="234"/>
        <source>Conversation list</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="242"/>
        <location filename="../../desktop/ui/main_window.py" line="305"/>
        <source>About Ollama Desk</source>
        <translation>关于 Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="286"/>
        <source>There is no reply to copy yet.</source>
        <translation>还没有可复制的回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="289"/>
        <source>Reply copied.</source>
        <translation>回复已复制。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="294"/>
        <source>none yet</source>
        <translation>尚无</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="296"/>
        <source>&lt;h3&gt;Ollama Desk %1&lt;/h3&gt;&lt;p&gt;A private assistant for local language models.&lt;/p&gt;&lt;p&gt;Model server in use:&lt;br&gt;&lt;nobr&gt;%2&lt;/nobr&gt;&lt;/p&gt;&lt;p&gt;Licence: MIT&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Ollama Desk %1&lt;/h3&gt;&lt;p&gt;本地语言模型的私人助手。&lt;/p&gt;&lt;p&gt;正在使用的模型服务器：&lt;br&gt;&lt;nobr&gt;%2&lt;/nobr&gt;&lt;/p&gt;&lt;p&gt;许可证：MIT&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="320"/>
        <location filename="../../desktop/ui/main_window.py" line="321"/>
        <source>Ollama %1 at %2</source>
        <translation>Ollama %1，地址 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="322"/>
        <source>Ollama %1 (started by Ollama Desk) at %2</source>
        <translation>Ollama %1（由 Ollama Desk 启动），地址 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="323"/>
        <source>Built-in engine %1 at %2</source>
        <translation>内置引擎 %1，地址 %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="330"/>
        <source>Connecting to a model server…</source>
        <translation>正在连接模型服务器…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="333"/>
        <source>No model server at %1</source>
        <translation>%1 上没有模型服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="341"/>
        <source>Stop engine</source>
        <translation>停止引擎</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/main_window.py" line="341"/>
        <source>Start engine</source>
        <translation>启动引擎</translation>
    </message>
</context>
<context>
    <name>McpServersPage</name>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="38"/>
        <source>MCP servers give the model more tools. Import the mcpServers file of Claude Desktop, LM Studio or Jan; keys and tokens in it are kept in the system keyring.</source>
        <translation>MCP 服务器为模型提供更多工具。导入 Claude Desktop、LM Studio 或 Jan 的 mcpServers 文件；其中的密钥和令牌保存在系统钥匙串中。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="45"/>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="48"/>
        <source>Tools of the chosen server</source>
        <translation>所选服务器的工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="53"/>
        <source>Import mcpServers file…</source>
        <translation>导入 mcpServers 文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="55"/>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="57"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="67"/>
        <source>Tools (untick one to keep it from the model):</source>
        <translation>工具（取消勾选可不让模型使用）：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="83"/>
        <source>connected, {count} tools</source>
        <translation>已连接，{count} 个工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="85"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="136"/>
        <source>Import MCP servers</source>
        <translation>导入 MCP 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="136"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="144"/>
        <source>The file is too large to be an MCP servers file.</source>
        <translation>文件太大，不是 MCP 服务器文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="148"/>
        <source>No place for secrets was found; the file was not imported.</source>
        <translation>找不到保存密钥的地方，文件未导入。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="151"/>
        <source>Could not import {file}: {error}</source>
        <translation>无法导入 {file}：{error}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="156"/>
        <source>Imported {count} MCP servers.</source>
        <translation>已导入 {count} 个 MCP 服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="165"/>
        <source>Connecting to {server}…</source>
        <translation>正在连接 {server}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/mcp_page.py" line="169"/>
        <source>{server} is connected.</source>
        <translation>{server} 已连接。</translation>
    </message>
</context>
<context>
    <name>MeasuredSection</name>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="33"/>
        <source>Measured on this computer</source>
        <translation>在这台电脑上实测</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="37"/>
        <source>Measure this computer</source>
        <translation>测量这台电脑</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="39"/>
        <source>Two short answers from the smallest installed model (under a minute).</source>
        <translation>用已安装的最小模型做两次简短回答（不到一分钟）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="41"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="47"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="48"/>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="60"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="49"/>
        <source>Measured</source>
        <translation>实测</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="50"/>
        <source>Predicted for its size</source>
        <translation>按其大小预测</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="51"/>
        <source>Reads the prompt</source>
        <translation>读取提示</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="60"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="60"/>
        <source>Speed here</source>
        <translation>本机速度</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="60"/>
        <source>Quality cost</source>
        <translation>质量代价</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="83"/>
        <source>Measuring… each answer runs alone, other models are unloaded.</source>
        <translation>正在测量…每次回答单独运行，其他模型已卸载。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="87"/>
        <source>Not measured: {0}</source>
        <translation>未能测量：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="95"/>
        <source>Nothing measured yet: speeds on this page are estimates from the number of cores. Measure this computer, or compare models on the Compare page, to learn its own speed.</source>
        <translation>尚未测量：本页的速度是按核心数估算的。测量这台电脑，或在“比较”页比较模型，即可了解它的实际速度。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="107"/>
        <source>Prompts are read at about {0} tokens/s for a model of a billion parameters (faster for smaller ones), from the prompts measured here.</source>
        <translation>按本机实测的提示读取速度，十亿参数的模型每秒约读取 {0} 个提示词元（模型越小越快）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="112"/>
        <source>Chat needs about {0} tokens/s to read comfortably.</source>
        <translation>聊天大约需要 {0} 词元/秒才能读得顺畅。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="128"/>
        <source>{0} tokens/s</source>
        <translation>{0} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="130"/>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="135"/>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="205"/>
        <source>measured {0} tokens/s on {1}</source>
        <translation>实测 {0} 词元/秒（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="138"/>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="209"/>
        <source>about {0} tokens/s</source>
        <translation>约 {0} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="155"/>
        <source>Speeds on the GPU are predicted from its line measured here: {0} GB/s of memory bandwidth and {1} ms per token besides (fitted to {2} models).</source>
        <translation>GPU 上的速度按本机实测拟合的直线预测：内存带宽 {0} GB/s，另加每个词元 {1} 毫秒（由 {2} 个模型拟合）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="160"/>
        <source>Speeds on the processor are predicted from its line measured here: {0} GB/s of memory bandwidth and {1} ms per token besides (fitted to {2} models).</source>
        <translation>处理器上的速度按本机实测拟合的直线预测：内存带宽 {0} GB/s，另加每个词元 {1} 毫秒（由 {2} 个模型拟合）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="167"/>
        <source>Speeds on the GPU are the estimate scaled to what was measured here: {0}% of the estimated speed, {1} GB/s and {2} ms per token besides (models measured: {3}).</source>
        <translation>GPU 上的速度是按本机实测结果缩放后的估算：为估算速度的 {0}%，即 {1} GB/s，另加每个词元 {2} 毫秒（已测模型：{3} 个）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="172"/>
        <source>Speeds on the processor are the estimate scaled to what was measured here: {0}% of the estimated speed, {1} GB/s and {2} ms per token besides (models measured: {3}).</source>
        <translation>处理器上的速度是按本机实测结果缩放后的估算：为估算速度的 {0}%，即 {1} GB/s，另加每个词元 {2} 毫秒（已测模型：{3} 个）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="193"/>
        <source>Choosing a quantization of {0}: fewer bits are smaller and faster, at some cost in quality (perplexity increase over F16 from llama.cpp&apos;s measurements).</source>
        <translation>选择 {0} 的量化方式：位数越少，模型越小越快，但质量有所损失（相对 F16 的困惑度增加，来自 llama.cpp 的测量）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="199"/>
        <source>small quality loss</source>
        <translation>质量略有损失</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="200"/>
        <source>very small quality loss</source>
        <translation>质量损失很小</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="201"/>
        <source>practically none</source>
        <translation>几乎没有损失</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="211"/>
        <source>does not fit</source>
        <translation>放不下</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_measured.py" line="212"/>
        <source>+{0} ({1})</source>
        <comment>perplexity increase (its meaning)</comment>
        <translation>+{0}（{1}）</translation>
    </message>
</context>
<context>
    <name>MediaStrip</name>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="152"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="154"/>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="154"/>
        <source>image</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="170"/>
        <source>%1 tokens (estimate)</source>
        <translation>约 %1 个词元（估计）</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="74"/>
        <source>Message text</source>
        <translation>消息文本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="73"/>
        <location filename="../../desktop/ui/widgets/message_view.py" line="94"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="94"/>
        <source>Copy this message</source>
        <translation>复制此消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="96"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="96"/>
        <source>Edit this message and send it again</source>
        <translation>编辑这条消息并重新发送</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="98"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="98"/>
        <source>Ask for a new reply</source>
        <translation>请求新的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="100"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="100"/>
        <source>Continue this reply</source>
        <translation>继续此回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="193"/>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="222"/>
        <source>Wait for the reply to finish, or stop it</source>
        <translation>请等回复结束，或先停止它</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="224"/>
        <source>Send the edited message</source>
        <translation>发送编辑后的消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="256"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="256"/>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="267"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>已停止。已生成的文字会保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="269"/>
        <source>No reply: %1</source>
        <translation>没有回复：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="269"/>
        <source>the request failed</source>
        <translation>请求失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="271"/>
        <source>Interrupted: %1</source>
        <translation>已中断：%1</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="271"/>
        <source>the connection was lost</source>
        <translation>连接已断开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="275"/>
        <source>Writing…</source>
        <translation>正在输入…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="275"/>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="295"/>
        <source>The model only thought and gave no answer. Try again with more tokens or thinking off.</source>
        <translation>模型只思考了，没有给出回答。请增加令牌数或关闭思考后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="296"/>
        <source>The model gave an empty answer.</source>
        <translation>模型给出了空回答。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="306"/>
        <source>%1 tokens/s · %2 tokens</source>
        <translation>%1 词元/秒 · %2 词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="308"/>
        <source>%1 tokens/s · %2 tokens · load %3 s</source>
        <translation>%1 词元/秒 · %2 词元 · 加载 %3 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="350"/>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="353"/>
        <source>Save and send</source>
        <translation>保存并发送</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="355"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="356"/>
        <source>Keep the message as it was (Esc)</source>
        <translation>保留原来的消息 (Esc)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="386"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="392"/>
        <source>Open link</source>
        <translation>打开链接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/message_view.py" line="393"/>
        <source>Open this address in your browser?

%1</source>
        <translation>要在浏览器中打开此地址吗？

%1</translation>
    </message>
</context>
<context>
    <name>ModelDetailsDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="44"/>
        <source>Model details: {0}</source>
        <translation>模型详情：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="46"/>
        <source>Loading details…</source>
        <translation>正在加载详情…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="53"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="54"/>
        <source>Size on disk</source>
        <translation>磁盘占用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="55"/>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="56"/>
        <location filename="../../desktop/ui/widgets/model_details.py" line="75"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="57"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="58"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="59"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="60"/>
        <source>Capabilities</source>
        <translation>能力</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="61"/>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="62"/>
        <source>Modified</source>
        <translation>修改时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="63"/>
        <source>Digest</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="70"/>
        <source>Overview</source>
        <translation>概览</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="74"/>
        <source>Modelfile</source>
        <translation>Modelfile</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="76"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="77"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="78"/>
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="123"/>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_details.py" line="132"/>
        <source>Could not load the details: {0}</source>
        <translation>无法加载详情：{0}</translation>
    </message>
</context>
<context>
    <name>ModelGroups</name>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="24"/>
        <source>vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="25"/>
        <source>tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="26"/>
        <source>thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="39"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="41"/>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="44"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="46"/>
        <source>connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="48"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="51"/>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="56"/>
        <source>%1 (%2) — %3</source>
        <translation>%1（%2）— %3</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_groups.py" line="98"/>
        <source>%1 on %2 (not available)</source>
        <translation>%2 上的 %1（不可用）</translation>
    </message>
</context>
<context>
    <name>ModelManagerPage</name>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="109"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="110"/>
        <source>In memory</source>
        <translation>已加载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="111"/>
        <source>Downloads</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="114"/>
        <source>Catalog</source>
        <translation>目录</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="183"/>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="184"/>
        <source>Delete {0}?</source>
        <translation>要删除 {0} 吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="186"/>
        <source>This frees {0} of disk space. You can pull the model again later.</source>
        <translation>这将释放 {0} 磁盘空间。之后可以重新下载该模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="190"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="197"/>
        <source>Deleting {0}…</source>
        <translation>正在删除 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="218"/>
        <source>Rename model</source>
        <translation>重命名模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="218"/>
        <source>Copy model</source>
        <translation>复制模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="220"/>
        <source>New name for {0}:</source>
        <translation>{0} 的新名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="222"/>
        <source>Name of the copy of {0}:</source>
        <translation>{0} 副本的名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="233"/>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="263"/>
        <source>“{0}” is not a valid model name.</source>
        <translation>“{0}”不是有效的模型名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="246"/>
        <source>Import a GGUF model file</source>
        <translation>导入 GGUF 模型文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="248"/>
        <source>GGUF model files (*.gguf)</source>
        <translation>GGUF 模型文件 (*.gguf)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="248"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="256"/>
        <source>Import GGUF</source>
        <translation>导入 GGUF</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="257"/>
        <source>Name for the model made from {0}:</source>
        <translation>由 {0} 创建的模型名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="290"/>
        <source>Importing {0}: {1}</source>
        <translation>正在导入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="297"/>
        <source>{0} is installed and ready to use.</source>
        <translation>{0} 已安装，可以使用了。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/model_manager.py" line="208"/>
        <source>Made {0}.</source>
        <translation>已生成 {0}。</translation>
    </message>
</context>
<context>
    <name>ModelsController</name>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="126"/>
        <source>Could not read the list of installed models.</source>
        <translation>无法读取已安装模型的列表。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="138"/>
        <source>Deleted {0}.</source>
        <translation>已删除 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="141"/>
        <source>Could not delete {0}.</source>
        <translation>无法删除 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="146"/>
        <source>Copied {0} to {1}.</source>
        <translation>已将 {0} 复制为 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="149"/>
        <source>Could not copy {0} to {1}.</source>
        <translation>无法将 {0} 复制为 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="157"/>
        <source>Renamed {0} to {1}.</source>
        <translation>已将 {0} 重命名为 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="160"/>
        <source>Could not rename {0} to {1}.</source>
        <translation>无法将 {0} 重命名为 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="169"/>
        <source>Uploading {0}…</source>
        <translation>正在上传 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="177"/>
        <source>Imported {0}.</source>
        <translation>已导入 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="179"/>
        <source>The server stopped before it finished creating {0}.</source>
        <translation>服务器在创建 {0} 完成前停止了。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="182"/>
        <source>Could not import {0}: {1}</source>
        <translation>无法导入 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="184"/>
        <source>Could not read {0}: {1}</source>
        <translation>无法读取 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="189"/>
        <source>Could not import {0}.</source>
        <translation>无法导入 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="194"/>
        <source>Unloaded {0} from memory.</source>
        <translation>已从内存中卸载 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="197"/>
        <source>Could not unload {0}.</source>
        <translation>无法卸载 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="202"/>
        <source>{0} stays in memory until you unload it.</source>
        <translation>{0} 将一直保留在内存中，直到你卸载它。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/models_controller.py" line="205"/>
        <source>Could not keep {0} loaded.</source>
        <translation>无法让 {0} 保持加载。</translation>
    </message>
</context>
<context>
    <name>PassageDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="29"/>
        <source>Source [%1]</source>
        <translation>来源 [%1]</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="33"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/citations_view.py" line="42"/>
        <source>Open file</source>
        <translation>打开文件</translation>
    </message>
</context>
<context>
    <name>PortalHotkey</name>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="70"/>
        <source>There is no desktop session bus (D-Bus).</source>
        <translation>没有桌面会话总线（D-Bus）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="74"/>
        <source>The D-Bus library (jeepney) is not installed.</source>
        <translation>未安装 D-Bus 库（jeepney）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="86"/>
        <source>The application&apos;s event loop is not running.</source>
        <translation>应用的事件循环未运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="98"/>
        <source>The desktop session bus could not be reached.</source>
        <translation>无法连接桌面会话总线。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="101"/>
        <source>The desktop portal failed: {0}</source>
        <translation>桌面门户出错：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="129"/>
        <source>The shortcut was not allowed in the desktop&apos;s dialog.</source>
        <translation>快捷键未在桌面的对话框中获得允许。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="131"/>
        <source>The desktop portal refused the global shortcut.</source>
        <translation>桌面门户拒绝了全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="140"/>
        <source>The desktop portal did not open a shortcut session.</source>
        <translation>桌面门户没有打开快捷键会话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="148"/>
        <source>Open Ollama Desk&apos;s Quick Ask</source>
        <translation>打开 Ollama Desk 的快速提问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="192"/>
        <source>This desktop&apos;s portal has no global shortcuts.</source>
        <translation>此桌面的门户不支持全局快捷键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/portal.py" line="194"/>
        <source>The desktop portal refused the global shortcut ({0}).</source>
        <translation>桌面门户拒绝了全局快捷键（{0}）。</translation>
    </message>
</context>
<context>
    <name>PromptLibraryDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="66"/>
        <source>Saved prompts</source>
        <translation>已保存的提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="72"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="74"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="76"/>
        <source>Any model (the conversation&apos;s own)</source>
        <translation>任意模型（沿用对话的模型）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="77"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="82"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="84"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="86"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="88"/>
        <source>Restore the defaults</source>
        <translation>恢复默认提示词</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="91"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="92"/>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="93"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
</context>
<context>
    <name>PromptPicker</name>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="34"/>
        <source>Start from a saved prompt</source>
        <translation>从已保存的提示词开始</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="35"/>
        <source>Start this conversation from a saved system prompt</source>
        <translation>用一个已保存的系统提示词开始这个对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="43"/>
        <source>Saved prompts…</source>
        <translation>已保存的提示词…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/prompt_picker.py" line="47"/>
        <source>Manage saved prompts…</source>
        <translation>管理已保存的提示词…</translation>
    </message>
</context>
<context>
    <name>PullPanel</name>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="74"/>
        <source>Model tag, e.g. llama3.2:3b or hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M</source>
        <translation>模型标签，例如 llama3.2:3b 或 hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="77"/>
        <source>Pull</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="79"/>
        <source>Browse catalog…</source>
        <translation>浏览目录…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="89"/>
        <source>Pull anyway</source>
        <translation>仍然下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="90"/>
        <source>Don&apos;t pull</source>
        <translation>不下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="99"/>
        <source>No downloads yet. Type a model tag above, or pick one from the catalog.</source>
        <translation>还没有下载任务。在上方输入模型标签，或从目录中选择。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="142"/>
        <source>“{0}” is not a model tag. Use a name like llama3.2:3b or hf.co/user/repo:Q4_K_M.</source>
        <translation>“{0}”不是模型标签。请使用类似 llama3.2:3b 或 hf.co/user/repo:Q4_K_M 的名称。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="153"/>
        <source>{0} needs about {1} of disk space, but only {2} is free in {3}. Free some space or choose a smaller model.</source>
        <translation>{0} 约需 {1} 磁盘空间，但 {3} 只剩 {2} 可用。请清理空间或选择更小的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_panel.py" line="164"/>
        <source>{0} is already being downloaded.</source>
        <translation>{0} 已在下载中。</translation>
    </message>
</context>
<context>
    <name>PullRow</name>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="38"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="39"/>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="42"/>
        <source>Remove from the list</source>
        <translation>从列表中移除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="100"/>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="102"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="102"/>
        <source>Resuming…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="104"/>
        <source>Downloading</source>
        <translation>正在下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="106"/>
        <source>Stalled, retrying</source>
        <translation>已停滞，正在重试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="108"/>
        <source>Verifying</source>
        <translation>正在校验</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="110"/>
        <source>Installed</source>
        <translation>已安装</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="112"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="113"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="120"/>
        <source>{0} of {1}</source>
        <translation>{0} / {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="125"/>
        <source>{0} of {1} so far</source>
        <translation>{0} / {1}（总量未定）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="130"/>
        <source>{0}/s</source>
        <translation>{0}/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="132"/>
        <source>about {0} left</source>
        <translation>剩余约 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="134"/>
        <source>no data for a while; trying again (attempt {0})</source>
        <translation>一段时间未收到数据；正在重试（第 {0} 次）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="136"/>
        <source>took {0}</source>
        <translation>用时 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="138"/>
        <source>starts when the downloads above finish</source>
        <translation>上方下载完成后开始</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="140"/>
        <source>the downloaded part is kept; Retry continues from there</source>
        <translation>已下载的部分会保留；重试将从中断处继续</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="151"/>
        <source>No network connection: the model registry could not be reached. Connect to the internet, then press Retry.</source>
        <translation>没有网络连接：无法访问模型仓库。请连接互联网，然后点击“重试”。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="155"/>
        <source>The model registry did not answer. Check the internet connection (or a proxy or firewall), then press Retry.</source>
        <translation>模型仓库没有响应。请检查网络连接（或代理、防火墙），然后点击“重试”。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="159"/>
        <source>{0} is not in the registry. Check the name and the tag, e.g. llama3.2:3b.</source>
        <translation>仓库中没有 {0}。请检查名称和标签，例如 llama3.2:3b。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="162"/>
        <source>The disk is full. Free some space, then press Retry.</source>
        <translation>磁盘已满。请腾出空间，然后点击“重试”。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="165"/>
        <source>{0}
Details: {1}</source>
        <translation>{0}
详情：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/pull_row.py" line="208"/>
        <source>{0} layers</source>
        <translation>{0} 个层</translation>
    </message>
</context>
<context>
    <name>QuantizeDialog</name>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="43"/>
        <source>Quantize {0}</source>
        <translation>量化 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="48"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="51"/>
        <source>{0} is {1}. Fewer bits make a smaller, faster model at some cost in quality; compare them afterwards on the Compare page. From an already quantized model the result loses more quality than one made from F16 weights.</source>
        <translation>{0} 当前为 {1}。位数越少，模型越小越快，但质量有所损失；之后可在“比较”页对比。从已量化的模型再量化，质量损失比从 F16 权重量化更大。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="69"/>
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="74"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="75"/>
        <source>New model name</source>
        <translation>新模型名称</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="86"/>
        <source>Give the new model a name of its own.</source>
        <translation>请给新模型起一个不同的名字。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="107"/>
        <source>The server stopped before it finished.</source>
        <translation>服务器在完成前停止了。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="111"/>
        <source>Made {0}.</source>
        <translation>已生成 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/quantize_dialog.py" line="118"/>
        <source>Could not quantize: {0}</source>
        <translation>无法量化：{0}</translation>
    </message>
</context>
<context>
    <name>QuickAskController</name>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="94"/>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="134"/>
        <source>Type a question first.</source>
        <translation>请先输入问题。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="97"/>
        <source>Wait for the answer, or press Esc to stop it.</source>
        <translation>请等待回答完成，或按 Esc 停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="139"/>
        <source>No model is chosen yet. Open Ollama Desk and download or choose a model.</source>
        <translation>尚未选择模型。请打开 Ollama Desk，下载或选择一个模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="163"/>
        <source>No model is installed yet. Open Ollama Desk to download one.</source>
        <translation>尚未安装任何模型。请打开 Ollama Desk 下载一个。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="200"/>
        <source>The answer ended before the model finished.</source>
        <translation>模型还没说完，回答就中断了。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="230"/>
        <source>The answer failed: {0}</source>
        <translation>回答失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="245"/>
        <source>The history is not available, so the chat cannot be opened.</source>
        <translation>历史记录不可用，因此无法在对话中打开。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/quick_ask_controller.py" line="262"/>
        <source>The exchange could not be saved: {0}</source>
        <translation>无法保存这次问答：{0}</translation>
    </message>
</context>
<context>
    <name>QuickAskServers</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_servers.py" line="126"/>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
</context>
<context>
    <name>QuickAskSettingsSection</name>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="67"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="68"/>
        <source>Use {0}</source>
        <translation>使用 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="72"/>
        <source>Quick Ask shortcut:</source>
        <translation>快速提问快捷键：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="80"/>
        <source>Copy the command</source>
        <translation>复制命令</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="84"/>
        <source>Add to the applications menu</source>
        <translation>添加到应用程序菜单</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="85"/>
        <source>Installs the launcher with its Quick Ask action</source>
        <translation>安装启动器及其“快速提问”操作</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="94"/>
        <source>Keep quick questions in the chat history</source>
        <translation>将快速提问保存到对话历史</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="100"/>
        <source>Empty</source>
        <translation>空白</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="101"/>
        <source>Text from the clipboard</source>
        <translation>剪贴板中的文字</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="103"/>
        <source>Selected text (X11 primary selection)</source>
        <translation>选中的文字（X11 主选区）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="109"/>
        <source>Quick Ask opens with:</source>
        <translation>快速提问打开时填入：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="111"/>
        <source>Keep running in the system tray when the window is closed</source>
        <translation>关闭窗口后继续在系统托盘中运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="115"/>
        <source>This desktop shows no system tray.</source>
        <translation>此桌面没有系统托盘。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="132"/>
        <source>Could not save the setting: {0}</source>
        <translation>无法保存设置：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="151"/>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="157"/>
        <source>Added to the menu</source>
        <translation>已添加到菜单</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/settings.py" line="158"/>
        <source>Could not add it to the menu</source>
        <translation>无法添加到菜单</translation>
    </message>
</context>
<context>
    <name>QuickAskThought</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="23"/>
        <source>The model only thought and gave no answer. Try again with more tokens or thinking off.</source>
        <translation>模型只思考了，没有给出回答。请增加令牌数或关闭思考后重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_thought.py" line="26"/>
        <source>The model gave an empty answer.</source>
        <translation>模型给出了空回答。</translation>
    </message>
</context>
<context>
    <name>QuickAskWindow</name>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="66"/>
        <location filename="../../desktop/ui/quick_ask.py" line="86"/>
        <source>Quick Ask</source>
        <translation>快速提问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="108"/>
        <source>Ask anything…</source>
        <translation>想问什么都可以…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="142"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="143"/>
        <source>Copy answer</source>
        <translation>复制回答</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="144"/>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="146"/>
        <source>Put the answer on the clipboard (and the selection) to paste it over the original</source>
        <translation>把回答放到剪贴板（以及选区），以便粘贴替换原文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="147"/>
        <source>Continue in main window</source>
        <translation>在主窗口中继续</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="148"/>
        <source>Continue this exchange in the main window (Ctrl+Enter)</source>
        <translation>在主窗口中继续这次问答（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="194"/>
        <source>no model</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="213"/>
        <source>Type a question about the quote, or choose an action.</source>
        <translation>请输入关于引用内容的问题，或选择一个操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="235"/>
        <source>Answer copied.</source>
        <translation>回答已复制。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="240"/>
        <source>The answer is on the clipboard: paste it over the original.</source>
        <translation>回答已放到剪贴板：粘贴即可替换原文。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="270"/>
        <source>Answering…  Esc stops.</source>
        <translation>正在回答…  按 Esc 停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="289"/>
        <source>Done · {0:.1f} tokens/s</source>
        <translation>完成 · {0:.1f} 词元/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="291"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="293"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="295"/>
        <source>The answer failed.</source>
        <translation>回答失败。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="305"/>
        <source>Open this address in your browser?

{0}</source>
        <translation>要在浏览器中打开此地址吗？

{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="306"/>
        <source>Open link</source>
        <translation>打开链接</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="314"/>
        <source>Code copied.</source>
        <translation>代码已复制。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="325"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask.py" line="350"/>
        <source>Enter asks · Shift+Enter new line · Ctrl+Enter main window · Esc closes</source>
        <translation>Enter 提问 · Shift+Enter 换行 · Ctrl+Enter 主窗口 · Esc 关闭</translation>
    </message>
</context>
<context>
    <name>QuoteBar</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="99"/>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="100"/>
        <source>Remove the quote</source>
        <translation>移除引用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="158"/>
        <source>Only the first {0} characters are sent.</source>
        <translation>只发送前 {0} 个字符。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="196"/>
        <source>Translate to English</source>
        <translation>译成英文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="196"/>
        <source>Translate to Chinese</source>
        <translation>译成中文</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="197"/>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="197"/>
        <source>Summarize</source>
        <translation>总结</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="198"/>
        <source>Fix grammar</source>
        <translation>修正语法</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="212"/>
        <source>{0}  {1}</source>
        <translation>{0}  {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_quote.py" line="213"/>
        <source>{0} ({1})</source>
        <translation>{0}（{1}）</translation>
    </message>
</context>
<context>
    <name>RegionGrabber</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_shot.py" line="36"/>
        <source>Drag over the part of the screen to ask about</source>
        <translation>拖动选出要提问的屏幕区域</translation>
    </message>
</context>
<context>
    <name>RequirementsSection</name>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="129"/>
        <source>Minimum and recommended hardware</source>
        <translation>最低与推荐配置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="133"/>
        <source>Part</source>
        <translation>部件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="134"/>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="135"/>
        <source>Minimum (7B)</source>
        <translation>最低（7B）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="136"/>
        <source>Recommended (13B)</source>
        <translation>推荐（13B）</translation>
    </message>
</context>
<context>
    <name>RunningModelsPanel</name>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="130"/>
        <source>No model is loaded. A model loads when you chat with it.</source>
        <translation>当前没有已加载的模型。与模型对话时会自动加载。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="142"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="145"/>
        <source>Models in memory</source>
        <translation>内存中的模型</translation>
    </message>
</context>
<context>
    <name>RunningRow</name>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="65"/>
        <source>Unload now</source>
        <translation>立即卸载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="66"/>
        <source>Keep loaded</source>
        <translation>保持加载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="67"/>
        <source>Keep this model in memory until you unload it</source>
        <translation>让此模型一直保留在内存中，直到你卸载它</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="88"/>
        <source>{0} in memory, all on the GPU</source>
        <translation>占用 {0}，全部在 GPU 上</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="90"/>
        <source>{0} in memory, all in system RAM (CPU)</source>
        <translation>占用 {0}，全部在系统内存中（CPU）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="92"/>
        <source>{0} in memory: {1} on the GPU, {2} in system RAM</source>
        <translation>占用 {0}：{1} 在 GPU 上，{2} 在系统内存中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="96"/>
        <source>context {0} tokens</source>
        <translation>上下文 {0} 词元</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="102"/>
        <source>⚠ {0}% of this model runs on the CPU because it does not fit in GPU memory, so replies are slower. A smaller model or a shorter context may fit.</source>
        <translation>⚠ 此模型有 {0}% 在 CPU 上运行，因为 GPU 显存放不下，所以回复较慢。换用更小的模型或更短的上下文也许能放下。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="116"/>
        <source>Stays loaded until you unload it</source>
        <translation>保持加载，直到你卸载它</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/running_models.py" line="121"/>
        <source>Unloads in {0} if unused</source>
        <translation>如未使用，将在 {0} 后卸载</translation>
    </message>
</context>
<context>
    <name>RunsTable</name>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="113"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="114"/>
        <source>Run</source>
        <translation>轮次</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="115"/>
        <source>Load (s)</source>
        <translation>加载（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="116"/>
        <source>First token (s)</source>
        <translation>首个词元（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="117"/>
        <source>Prompt tokens</source>
        <translation>提示词元数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="118"/>
        <source>Prompt (tokens/s)</source>
        <translation>提示处理（词元/秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="119"/>
        <source>Answer tokens</source>
        <translation>回答词元数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="120"/>
        <source>Answer (tokens/s)</source>
        <translation>回答（词元/秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="121"/>
        <source>Characters</source>
        <translation>字符数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="122"/>
        <source>Memory (MiB)</source>
        <translation>内存（MiB）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="123"/>
        <source>GPU (MiB)</source>
        <translation>GPU（MiB）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="134"/>
        <source>failed: {0}</source>
        <translation>失败：{0}</translation>
    </message>
</context>
<context>
    <name>ServerModelsPage</name>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="32"/>
        <source>Ollama server</source>
        <translation>Ollama 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="36"/>
        <source>Add an Ollama server in Settings &gt; Servers to manage its models here. OpenAI-compatible servers (vLLM, TGI, llama.cpp) serve the models they were started with.</source>
        <translation>在“设置 &gt; 服务器”中添加一个 Ollama 服务器，即可在这里管理它的模型。OpenAI 兼容服务器（vLLM、TGI、llama.cpp）只提供启动时指定的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="42"/>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="57"/>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="57"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/server_models_page.py" line="58"/>
        <source>%1 (%2) — %3</source>
        <translation>%1（%2）— %3</translation>
    </message>
</context>
<context>
    <name>ServerPicker</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_servers.py" line="64"/>
        <source>The server and model Quick Ask asks</source>
        <translation>快速提问所用的服务器和模型</translation>
    </message>
</context>
<context>
    <name>ServersPage</name>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="67"/>
        <source>Model servers</source>
        <translation>模型服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="71"/>
        <source>Office GPU</source>
        <translation>办公室 GPU</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="73"/>
        <location filename="../../desktop/ui/settings/servers_page.py" line="163"/>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="75"/>
        <source>OpenAI-compatible (vLLM, TGI, llama.cpp, LM Studio)</source>
        <translation>OpenAI 兼容（vLLM、TGI、llama.cpp、LM Studio）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="82"/>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="84"/>
        <source>One per line, e.g. CF-Access-Client-Id: abc</source>
        <translation>每行一个，例如 CF-Access-Client-Id: abc</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="86"/>
        <source>&amp;Headers:</source>
        <translation>请求头(&amp;H)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="90"/>
        <source>&amp;Name:</source>
        <translation>名称(&amp;N)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="91"/>
        <source>&amp;Kind:</source>
        <translation>类型(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="92"/>
        <source>&amp;Address:</source>
        <translation>地址(&amp;A)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="93"/>
        <location filename="../../desktop/ui/settings/servers_page.py" line="210"/>
        <source>API &amp;key:</source>
        <translation>API 密钥(&amp;K)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="98"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="99"/>
        <source>Save changes</source>
        <translation>保存更改</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="100"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="101"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="102"/>
        <source>List this server&apos;s models (nothing is loaded)</source>
        <translation>列出此服务器的模型（不会加载任何模型）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="121"/>
        <source>The local server (this computer) is always there; add others here.</source>
        <translation>本地服务器（本机）始终存在；在这里添加其他服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="144"/>
        <source>This computer — always there</source>
        <translation>本机 — 始终存在</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="163"/>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="165"/>
        <source>checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desktop/ui/settings/servers_page.py" line="167"/>
        <source>online, %n model(s)</source>
        <translation>
            <numerusform>在线，%n 个模型</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="169"/>
        <source>key rejected</source>
        <translation>密钥被拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="171"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="173"/>
        <source>%1 — %2 — %3 — %4</source>
        <translation>%1 — %2 — %3 — %4</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="201"/>
        <source>Kept until you quit; type to replace it</source>
        <translation>保留到退出为止；输入新值即可替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="203"/>
        <source>Kept in the keyring; type to replace it</source>
        <translation>已保存在系统密钥环中；输入新值即可替换</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="210"/>
        <source>Bearer &amp;token:</source>
        <translation>Bearer 令牌(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="220"/>
        <source>No system keyring: keys are kept only until you quit.</source>
        <translation>没有系统密钥环：密钥只保留到退出为止。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="239"/>
        <location filename="../../desktop/ui/settings/servers_page.py" line="263"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="242"/>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="266"/>
        <source>Saved %1.</source>
        <translation>已保存 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="274"/>
        <source>Removing…</source>
        <translation>正在移除…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="277"/>
        <source>Removed %1.</source>
        <translation>已移除 %1。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="291"/>
        <source>Type the server&apos;s address first.</source>
        <translation>请先输入服务器地址。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/servers_page.py" line="308"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="53"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="66"/>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="67"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="68"/>
        <source>Quick Ask</source>
        <translation>快速提问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="69"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="70"/>
        <source>Concurrency</source>
        <translation>并发控制</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="77"/>
        <source>Close settings</source>
        <translation>关闭设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="41"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="43"/>
        <location filename="../../desktop/ui/settings/general_page.py" line="58"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="44"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="45"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="52"/>
        <source>&amp;Theme:</source>
        <translation>主题(&amp;T)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="55"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="65"/>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="67"/>
        <source>A new language is used after Ollama Desk restarts.</source>
        <translation>重新启动 Ollama Desk 后使用新语言。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="76"/>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="77"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="79"/>
        <source>Show the data folder in the file manager</source>
        <translation>在文件管理器中显示数据文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="84"/>
        <source>Change…</source>
        <translation>更改…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="89"/>
        <source>The data folder is set by the OLLAMA_DESK_HOME environment variable.</source>
        <translation>数据文件夹由环境变量 OLLAMA_DESK_HOME 指定。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="96"/>
        <source>Data folder:</source>
        <translation>数据文件夹：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="35"/>
        <source>Model server address</source>
        <translation>模型服务器地址</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="39"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="47"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="49"/>
        <source>Check that a model server answers at this address</source>
        <translation>检查此地址上是否有模型服务器响应</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="52"/>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="54"/>
        <source>Connect to this server from now on</source>
        <translation>从现在起连接到此服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="59"/>
        <source>&amp;Server:</source>
        <translation>服务器(&amp;S)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="67"/>
        <source>Connected to {0}.</source>
        <translation>已连接到 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="71"/>
        <source>Leave it empty to use Ollama on this computer, or the built-in engine when Ollama is not installed. Another computer&apos;s Ollama: http://host:11434.</source>
        <translation>留空则使用本机的 Ollama；未安装 Ollama 时使用内置引擎。其他电脑上的 Ollama：http://主机:11434。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="84"/>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="86"/>
        <source>The first installed model</source>
        <translation>第一个已安装的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="91"/>
        <source>&amp;Default model:</source>
        <translation>默认模型(&amp;D)：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="24"/>
        <source>Quick Ask shortcut</source>
        <translation>快速提问快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="31"/>
        <source>Quick Ask shortcut:</source>
        <translation>快速提问快捷键：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="33"/>
        <source>The new shortcut is registered the next time Ollama Desk starts.</source>
        <translation>新的快捷键将在 Ollama Desk 下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="41"/>
        <source>Keep quick questions in the chat history</source>
        <translation>将快速提问保存到对话历史</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="36"/>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="38"/>
        <source>Back Up…</source>
        <translation>备份…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="40"/>
        <source>Save a copy of every conversation and setting in one file</source>
        <translation>将所有对话和设置保存到一个文件中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="45"/>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="47"/>
        <source>Replace all conversations with those of a backup</source>
        <translation>用备份中的对话替换全部对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="55"/>
        <source>Export and import</source>
        <translation>导出与导入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="57"/>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="59"/>
        <source>Every conversation in one file that can be imported again</source>
        <translation>所有对话保存在一个文件中，可再次导入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="65"/>
        <source>Export as Markdown…</source>
        <translation>导出为 Markdown…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="68"/>
        <source>One readable file per conversation, in a folder</source>
        <translation>每个对话一个易读的文件，保存在一个文件夹中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="71"/>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="73"/>
        <source>Add the conversations of a JSON export; those already here are skipped</source>
        <translation>添加 JSON 导出文件中的对话；已有的对话会被跳过</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="98"/>
        <source>The conversation history is not available.</source>
        <translation>对话历史不可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="123"/>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="136"/>
        <source>Could not save the setting: {0}</source>
        <translation>无法保存设置：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/general_page.py" line="113"/>
        <source>Choose a folder for Ollama Desk&apos;s data</source>
        <translation>选择 Ollama Desk 的数据文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="259"/>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="290"/>
        <source>Cannot use {0}: {1}</source>
        <translation>无法使用 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="282"/>
        <source>Could not copy the conversations to {0}: {1}</source>
        <translation>无法将对话复制到 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="287"/>
        <source>Could not save the new location: {0}</source>
        <translation>无法保存新位置：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="267"/>
        <source>Ollama Desk will use {0} after a restart.</source>
        <translation>重新启动后，Ollama Desk 将使用 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="271"/>
        <source>Your conversations were copied there; downloaded models stay in the old folder until you delete them.</source>
        <translation>您的对话已复制到那里；已下载的模型仍留在旧文件夹中，直到您删除它们。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="125"/>
        <source>This address does not work: {0}</source>
        <translation>此地址无法使用：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="198"/>
        <source>Checking {0}…</source>
        <translation>正在检查 {0}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="154"/>
        <source>A model server answers at {0} (Ollama API {1}).</source>
        <translation>{0} 上的模型服务器有响应（Ollama API {1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="113"/>
        <source>Connecting to {0}.</source>
        <translation>正在连接到 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/server_page.py" line="115"/>
        <source>Automatic: Ollama on this computer, else the built-in engine.</source>
        <translation>自动：本机的 Ollama，否则使用内置引擎。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="112"/>
        <source>Back up conversations</source>
        <translation>备份对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="114"/>
        <source>Ollama Desk backup (*.sqlite3)</source>
        <translation>Ollama Desk 备份 (*.sqlite3)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="122"/>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="124"/>
        <source>Ollama Desk backup (*.sqlite3);;All files (*)</source>
        <translation>Ollama Desk 备份 (*.sqlite3);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="130"/>
        <source>Restore a backup?</source>
        <translation>要恢复备份吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="131"/>
        <source>Every conversation and setting will be replaced by those in {0}. A copy of the current ones is kept next to the database.</source>
        <translation>所有对话和设置都将被 {0} 中的内容替换。当前内容的副本会保存在数据库旁边。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="145"/>
        <source>Export conversations</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="147"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="155"/>
        <source>Export conversations as Markdown into</source>
        <translation>将对话以 Markdown 格式导出到</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="164"/>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/conversations_page.py" line="166"/>
        <source>JSON (*.json);;All files (*)</source>
        <translation>JSON (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="156"/>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="185"/>
        <source>The backup failed: {0}</source>
        <translation>备份失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="183"/>
        <source>Backed up to {0}.</source>
        <translation>已备份到 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="159"/>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="201"/>
        <source>Nothing was changed: {0}</source>
        <translation>未做任何更改：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="191"/>
        <source>Restored. The conversations you had before are saved in {0}.</source>
        <translation>已恢复。之前的对话保存在 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="162"/>
        <location filename="../../desktop/ui/settings/dialog.py" line="165"/>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="213"/>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="225"/>
        <source>The export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="208"/>
        <source>Exported {0} conversations to {1}.</source>
        <translation>已将 {0} 个对话导出到 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="220"/>
        <source>Exported {0} conversations as Markdown to {1}.</source>
        <translation>已将 {0} 个对话以 Markdown 格式导出到 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/dialog.py" line="168"/>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="244"/>
        <source>Nothing was imported: {0}</source>
        <translation>未导入任何内容：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="230"/>
        <source>Imported {0} conversations; {1} were already here.</source>
        <translation>已导入 {0} 个对话；{1} 个已存在。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/controllers/settings_controller.py" line="234"/>
        <source>{0} could not be read: {1}</source>
        <translation>{0} 个无法读取：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wiring.py" line="83"/>
        <source>Servers</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/wiring.py" line="87"/>
        <source>MCP servers</source>
        <translation>MCP 服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="48"/>
        <source>Nothing</source>
        <translation>不读取</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="59"/>
        <source>Quick Ask quotes:</source>
        <translation>快速提问引用：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="52"/>
        <source>Selected text</source>
        <translation>选中的文字</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/quick_ask_page.py" line="50"/>
        <source>Text from the clipboard</source>
        <translation>剪贴板中的文字</translation>
    </message>
</context>
<context>
    <name>ShareSection</name>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="46"/>
        <source>Share this computer&apos;s built-in engine on the local network</source>
        <translation>在局域网中共享本机的内置引擎</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="48"/>
        <source>Colleagues need the API key shown below; nothing is shared without it</source>
        <translation>同事需要下面显示的 API 密钥；没有密钥就无法访问</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="74"/>
        <source>Not shared. The built-in engine stays on this computer from its next start.</source>
        <translation>未共享。内置引擎从下次启动起只在本机可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="84"/>
        <source>this computer&apos;s address</source>
        <translation>本机地址</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="86"/>
        <source>Colleagues add http://%1:%2 as an Ollama server with the bearer token %3 (or as OpenAI-compatible with it as API key). It applies when the built-in engine next starts.</source>
        <translation>同事把 http://%1:%2 添加为 Ollama 服务器，Bearer 令牌为 %3（或添加为 OpenAI 兼容服务器，以它作为 API 密钥）。内置引擎下次启动时生效。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/settings/share_section.py" line="92"/>
        <source>No system keyring: a new key is made at each start.</source>
        <translation>没有系统密钥环：每次启动都会生成新密钥。</translation>
    </message>
</context>
<context>
    <name>Shortcut</name>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="39"/>
        <source>“{0}” is not a single key combination.</source>
        <translation>“{0}”不是单个组合键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="55"/>
        <source>“{0}” has no key besides the modifiers.</source>
        <translation>“{0}”除了修饰键之外没有其他按键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="62"/>
        <source>“{0}” needs Ctrl, Alt or Meta, or else a function key.</source>
        <translation>“{0}”需要包含 Ctrl、Alt 或 Meta，或者使用功能键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="95"/>
        <source>The key in “{0}” cannot be grabbed on X11.</source>
        <translation>“{0}”中的按键无法在 X11 上注册。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="116"/>
        <source>The key in “{0}” cannot be registered on Windows.</source>
        <translation>“{0}”中的按键无法在 Windows 上注册。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/hotkeys/keys.py" line="137"/>
        <source>The key in “{0}” cannot be registered on macOS.</source>
        <translation>“{0}”中的按键无法在 macOS 上注册。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="64"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="65"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="66"/>
        <source>Next conversation</source>
        <translation>下一个对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="67"/>
        <source>Previous conversation</source>
        <translation>上一个对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="68"/>
        <source>Rename the conversation</source>
        <translation>重命名对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="69"/>
        <source>Delete the conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="70"/>
        <source>Go to the message box</source>
        <translation>转到输入框</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="71"/>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="72"/>
        <source>New line in the message</source>
        <translation>在消息中换行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="73"/>
        <source>Stop the reply</source>
        <translation>停止回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="74"/>
        <source>Regenerate the last reply</source>
        <translation>重新生成最后的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="75"/>
        <source>Copy the last reply</source>
        <translation>复制最后的回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="76"/>
        <source>Switch model</source>
        <translation>切换模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="77"/>
        <source>Manage models</source>
        <translation>管理模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="78"/>
        <source>Quick Ask from anywhere (global)</source>
        <translation>随处快速提问（全局）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="79"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="80"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="81"/>
        <source>Show or hide the conversation list</source>
        <translation>显示或隐藏对话列表</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="82"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="89"/>
        <source>Conversations</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="90"/>
        <source>Writing</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="91"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="92"/>
        <source>Application</source>
        <translation>应用程序</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="161"/>
        <source>not available here</source>
        <translation>此处不可用</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="188"/>
        <location filename="../../desktop/ui/shortcuts.py" line="193"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="194"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="194"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="214"/>
        <source>Quick Ask works from any application while Ollama Desk runs; change its keys in Settings.</source>
        <translation>Ollama Desk 运行时，可在任何应用中使用快速提问；可在设置中更改其按键。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/shortcuts.py" line="168"/>
        <source>off</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ShotControl</name>
    <message>
        <location filename="../../desktop/ui/quick_ask_shot.py" line="101"/>
        <source>Screenshot region</source>
        <translation>截取屏幕区域</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_shot.py" line="102"/>
        <source>Drag a rectangle on the screen: the model sees it with the question</source>
        <translation>在屏幕上拖出一个矩形：模型会连同问题一起看到它</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_shot.py" line="113"/>
        <source>Remove the screenshot</source>
        <translation>移除截图</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/quick_ask_shot.py" line="151"/>
        <source>Screenshot {0} × {1} px</source>
        <translation>截图 {0} × {1} 像素</translation>
    </message>
</context>
<context>
    <name>StructuredReply</name>
    <message>
        <location filename="../../desktop/ui/widgets/structured_view.py" line="38"/>
        <source>Valid JSON, follows the schema</source>
        <translation>有效的 JSON，符合模式</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/structured_view.py" line="39"/>
        <source>Valid JSON</source>
        <translation>有效的 JSON</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/structured_view.py" line="40"/>
        <source>Not what was asked for: %1</source>
        <translation>不符合要求：%1</translation>
    </message>
</context>
<context>
    <name>SuggestionsSection</name>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="179"/>
        <source>Suggested models</source>
        <translation>建议的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="200"/>
        <source>Each suggestion fits this computer and answers at {0} tokens/s or more, fast enough to read along in a chat.</source>
        <translation>每个建议都放得进本机，且每秒至少生成 {0} 个词元，对话时读得跟得上。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="204"/>
        <source>Chinese chat</source>
        <translation>中文对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="205"/>
        <source>English chat</source>
        <translation>英文对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="206"/>
        <source>Code</source>
        <translation>编程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="207"/>
        <source>Fast replies</source>
        <translation>快速回复</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="208"/>
        <source>Embeddings (search, RAG)</source>
        <translation>嵌入（搜索、RAG）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="224"/>
        <source>Pull</source>
        <translation>下载</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="225"/>
        <source>Download {0} with the model manager</source>
        <translation>用模型管理器下载 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="230"/>
        <source>Download {0}; needs {1} of disk and {2} of memory ({3} free for models).</source>
        <translation>下载 {0}；需要 {1} 磁盘空间和 {2} 内存（可供模型 {3}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="238"/>
        <source>Also good: {0}</source>
        <translation>也不错：{0}</translation>
    </message>
</context>
<context>
    <name>SummaryTable</name>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="67"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="68"/>
        <source>Runs</source>
        <translation>次数</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="69"/>
        <source>Load (s)</source>
        <translation>加载（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="70"/>
        <source>First token (s)</source>
        <translation>首个词元（秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="71"/>
        <source>Prompt (tokens/s)</source>
        <translation>提示处理（词元/秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="72"/>
        <source>Answer (tokens/s)</source>
        <translation>回答（词元/秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="73"/>
        <source>Memory (MiB)</source>
        <translation>内存（MiB）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="74"/>
        <source>GPU (MiB)</source>
        <translation>GPU（MiB）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="80"/>
        <source>From each prompt&apos;s first run: later runs find the prompt already read (cached).</source>
        <translation>取自每个提示的第一次运行：之后的运行会发现提示已读过（已缓存）。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/compare_tables.py" line="87"/>
        <source>{0} ({1} failed)</source>
        <translation>{0}（{1} 次失败）</translation>
    </message>
</context>
<context>
    <name>ThinkChoice</name>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="22"/>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="23"/>
        <source>Model default</source>
        <translation>模型默认</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="24"/>
        <source>On</source>
        <translation>开</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="25"/>
        <source>Off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="27"/>
        <source>Low</source>
        <translation>低</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="27"/>
        <source>Medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="27"/>
        <source>High</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="37"/>
        <source>%1 does not think before answering; this option has no effect.</source>
        <translation>%1 不会在回答前思考；此选项没有作用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/reply_options.py" line="41"/>
        <source>Whether a reasoning model thinks before it answers</source>
        <translation>推理模型是否在回答前先思考</translation>
    </message>
</context>
<context>
    <name>ThinkingBlock</name>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="47"/>
        <source>The model&apos;s thinking</source>
        <translation>模型的思考过程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="132"/>
        <source>Thinking… %1 s</source>
        <translation>正在思考… %1 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="134"/>
        <source>Thought for %1 s</source>
        <translation>思考了 %1 秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="136"/>
        <source>Thought for less than a second</source>
        <translation>思考了不到一秒</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="138"/>
        <source>Thoughts</source>
        <translation>思考过程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="141"/>
        <source>Hide the thinking</source>
        <translation>隐藏思考过程</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/thinking_block.py" line="141"/>
        <source>Show the thinking</source>
        <translation>显示思考过程</translation>
    </message>
</context>
<context>
    <name>Thumbnail</name>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="72"/>
        <source>Unreadable image</source>
        <translation>无法读取的图片</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="79"/>
        <source>image</source>
        <translation>图片</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="80"/>
        <source>%1 (click to view)</source>
        <translation>%1（点击查看）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/image_strip.py" line="81"/>
        <source>Image %1</source>
        <translation>图片 %1</translation>
    </message>
</context>
<context>
    <name>TierSection</name>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="72"/>
        <source>Model sizes</source>
        <translation>模型规模</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="76"/>
        <source>Size</source>
        <translation>规模</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="77"/>
        <source>Rule</source>
        <translation>对照表要求</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="78"/>
        <source>Example</source>
        <translation>示例</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="79"/>
        <source>Needs here</source>
        <translation>本机需要</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="80"/>
        <source>On this computer</source>
        <translation>本机情况</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="98"/>
        <source>{0} ◀ this computer</source>
        <translation>{0} ◀ 本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="100"/>
        <source>{0} of RAM and a GPU, or {1} of GPU memory</source>
        <translation>{0} 内存加 GPU，或 {1} 显存</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/hardware_sections.py" line="104"/>
        <source>{0} of RAM, or {1} of GPU memory</source>
        <translation>{0} 内存，或 {1} 显存</translation>
    </message>
</context>
<context>
    <name>ToolCard</name>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="64"/>
        <source>Running {tool}…</source>
        <translation>正在运行 {tool}…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="66"/>
        <source>{tool} failed ({ms} ms)</source>
        <translation>{tool} 失败（{ms} 毫秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="68"/>
        <source>Used {tool} ({ms} ms)</source>
        <translation>已使用 {tool}（{ms} 毫秒）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="72"/>
        <source>Arguments:</source>
        <translation>参数：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="74"/>
        <source>Error:</source>
        <translation>错误：</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tool_card.py" line="74"/>
        <source>Result:</source>
        <translation>结果：</translation>
    </message>
</context>
<context>
    <name>ToolsSection</name>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="23"/>
        <source>Calculator</source>
        <translation>计算器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="24"/>
        <source>Current date and time</source>
        <translation>当前日期和时间</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="25"/>
        <source>Search my conversations</source>
        <translation>搜索我的对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="26"/>
        <source>Search my documents (knowledge bases)</source>
        <translation>搜索我的文档（知识库）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="27"/>
        <source>Read the files I pick</source>
        <translation>读取我选择的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="28"/>
        <source>Fetch web pages (asks every time)</source>
        <translation>获取网页（每次都会询问）</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="30"/>
        <source>Let the model use tools</source>
        <translation>允许模型使用工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="42"/>
        <source>Tools of the MCP server {server}</source>
        <translation>MCP 服务器 {server} 的工具</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="47"/>
        <source>Pick files…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="62"/>
        <source>Files the model may read</source>
        <translation>模型可以读取的文件</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/tools_section.py" line="72"/>
        <source>No files picked</source>
        <translation>未选择文件</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../desktop/ui/tray.py" line="60"/>
        <source>Ollama Desk — answering…</source>
        <translation>Ollama Desk — 正在回答…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="62"/>
        <source>Ollama Desk — downloading a model…</source>
        <translation>Ollama Desk — 正在下载模型…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="64"/>
        <source>Ollama Desk — model server online</source>
        <translation>Ollama Desk — 模型服务器在线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="65"/>
        <source>Ollama Desk — model server offline</source>
        <translation>Ollama Desk — 模型服务器离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="66"/>
        <source>Ollama Desk — starting the engine…</source>
        <translation>Ollama Desk — 正在启动引擎…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="67"/>
        <source>Ollama Desk — connecting…</source>
        <translation>Ollama Desk — 正在连接…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="68"/>
        <source>Ollama Desk</source>
        <translation>Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="79"/>
        <source>Quick Ask…</source>
        <translation>快速提问…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="81"/>
        <source>New chat</source>
        <translation>新建对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="84"/>
        <source>Hide window</source>
        <translation>隐藏窗口</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="91"/>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="112"/>
        <source>Stop engine</source>
        <translation>停止引擎</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="116"/>
        <source>Starting engine…</source>
        <translation>正在启动引擎…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="118"/>
        <source>Start engine</source>
        <translation>启动引擎</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="87"/>
        <source>Open Ollama Desk</source>
        <translation>打开 Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="104"/>
        <source>No models installed</source>
        <translation>尚未安装模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="106"/>
        <source>Model server offline</source>
        <translation>模型服务器离线</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="123"/>
        <source>Quit Ollama Desk</source>
        <translation>退出 Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="278"/>
        <source>Reply ready: {0}</source>
        <translation>回复已完成：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="278"/>
        <source>Reply ready</source>
        <translation>回复已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="279"/>
        <source>The model finished its reply.</source>
        <translation>模型已完成回复。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="288"/>
        <source>Download finished</source>
        <translation>下载完成</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="288"/>
        <source>{0} is ready to use.</source>
        <translation>{0} 已可以使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="291"/>
        <source>Download failed</source>
        <translation>下载失败</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray.py" line="292"/>
        <source>{0} could not be downloaded. Open the Models page to retry.</source>
        <translation>{0} 下载失败。请打开“模型”页面重试。</translation>
    </message>
</context>
<context>
    <name>TrayIntegration</name>
    <message>
        <location filename="../../desktop/ui/tray_integration.py" line="256"/>
        <source>It keeps running in the system tray; click its icon to open it again, or turn this off in the settings.</source>
        <translation>它会继续在系统托盘中运行；点击托盘图标即可重新打开，也可以在设置中关闭此行为。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray_integration.py" line="258"/>
        <source>Ollama Desk is still running</source>
        <translation>Ollama Desk 仍在运行</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/tray_integration.py" line="253"/>
        <source>It keeps running in the system tray. Press {0} for Quick Ask, or turn this off in the settings.</source>
        <translation>它会继续在系统托盘中运行。按 {0} 打开快速提问，也可以在设置中关闭此行为。</translation>
    </message>
</context>
<context>
    <name>VersionSwitcher</name>
    <message>
        <location filename="../../desktop/ui/widgets/version_switcher.py" line="20"/>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/version_switcher.py" line="24"/>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/version_switcher.py" line="49"/>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/widgets/version_switcher.py" line="51"/>
        <source>Version %1 of %2</source>
        <translation>第 %1 个版本，共 %2 个</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="93"/>
        <location filename="../../desktop/ui/welcome.py" line="110"/>
        <source>Welcome to Ollama Desk</source>
        <translation>欢迎使用 Ollama Desk</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="116"/>
        <source>Chat with language models that run on this computer. What you type stays here, and it works offline.</source>
        <translation>与在本机运行的语言模型对话。您输入的内容只留在本机，离线也能使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="124"/>
        <source>Model server</source>
        <translation>模型服务器</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="126"/>
        <source>This computer</source>
        <translation>本机</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="129"/>
        <source>A model to start with</source>
        <translation>推荐的入门模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="131"/>
        <source>Download the recommended model</source>
        <translation>下载推荐的模型</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="150"/>
        <source>Start chatting</source>
        <translation>开始对话</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="165"/>
        <source>No model server is running yet: {0} Your conversations are still here to read; start Ollama, or the built-in engine from the tray menu, to chat.</source>
        <translation>尚无模型服务器在运行：{0} 您仍可阅读已有的对话；启动 Ollama，或从托盘菜单启动内置引擎，即可对话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="168"/>
        <source>Looking for a model server…</source>
        <translation>正在查找模型服务器…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="172"/>
        <source>Ollama is not installed here, so Ollama Desk runs its built-in engine with the small starter model {0}: you can chat right away, even offline. Install Ollama for larger, faster models.</source>
        <translation>本机未安装 Ollama，因此 Ollama Desk 使用内置引擎和小型入门模型 {0}：您可以立即开始对话，离线也可以。安装 Ollama 可使用更大、更快的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="176"/>
        <source>Using the Ollama server at {0}.</source>
        <translation>正在使用 {0} 上的 Ollama 服务器。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="178"/>
        <source>unknown version</source>
        <translation>未知版本</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="179"/>
        <source>Ollama found on this computer ({0}) at {1}.</source>
        <translation>已在本机找到 Ollama（{0}），地址 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="186"/>
        <source>Checking this computer…</source>
        <translation>正在检查本机…</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="187"/>
        <source>A suggestion follows once the check is done.</source>
        <translation>检查完成后将给出建议。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="194"/>
        <source>{0} of memory, shared with the {1}.</source>
        <translation>{0} 内存，与 {1} 共享。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="196"/>
        <source>{0} of RAM and {1} with {2} for models.</source>
        <translation>{0} 内存，{1} 有 {2} 可供模型使用。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="200"/>
        <source>{0} of RAM and no GPU that models can use, so they run on the processor.</source>
        <translation>{0} 内存，没有模型可用的 GPU，因此模型在处理器上运行。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="303"/>
        <source>The download failed: this computer is offline. Connect to the internet, then press Retry. You can chat with the starter model meanwhile.</source>
        <translation>下载失败：本机未联网。请连接互联网后点击重试。在此期间您可以先用入门模型对话。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="305"/>
        <source>The download failed: the model registry did not answer. Check the connection, then press Retry.</source>
        <translation>下载失败：模型仓库没有响应。请检查网络连接，然后点击重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="307"/>
        <source>The download failed: the disk is full. Free some space, then press Retry.</source>
        <translation>下载失败：磁盘已满。请腾出空间，然后点击重试。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="308"/>
        <source>The download failed: {0}</source>
        <translation>下载失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="210"/>
        <source>No model in the catalog fits this computer well.</source>
        <translation>目录中没有适合本机的模型。</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="218"/>
        <source>{0} ({1} download, {2}): {3}</source>
        <translation>{0}（下载 {1}，{2}）：{3}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="238"/>
        <source>This computer could not be checked: {0}</source>
        <translation>无法检查本机：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="279"/>
        <source>{0} is installed</source>
        <translation>{0} 已安装</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="282"/>
        <source>Retry downloading {0}</source>
        <translation>重试下载 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="289"/>
        <source>Downloading {0}: {1} %</source>
        <translation>正在下载 {0}：{1} %</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="291"/>
        <source>Downloading {0}; see Models</source>
        <translation>正在下载 {0}；请查看“模型”</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="294"/>
        <source>Download {0}</source>
        <translation>下载 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/ui/welcome.py" line="297"/>
        <source>The download starts once a model server runs.</source>
        <translation>模型服务器运行后将开始下载。</translation>
    </message>
</context>
</TS>
