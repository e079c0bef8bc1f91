// SPDX-License-Identifier: GPL-3.0-or-later
#include "sandbox/vllm/VllmTracebacks.h"

namespace ApoloDeploy::Sandbox::VllmTracebacks {

namespace {

QString frame(const QString &file, int line, const QString &function, const QString &code = {})
{
    QString text = QStringLiteral("  File \"") % file % QStringLiteral("\", line ") % QString::number(line) %
                   QStringLiteral(", in ") % function;
    if (!code.isEmpty())
        text += QStringLiteral("\n    ") % code;
    return text;
}

QString vllmFile(const char *relative)
{
    return sitePackages() % QStringLiteral("/vllm/") % QLatin1String(relative);
}

} // namespace

QString sitePackages()
{
    return QStringLiteral("/usr/local/lib/python3.12/dist-packages");
}

QStringList apiServerFrames()
{
    const QString api = vllmFile("entrypoints/openai/api_server.py");
    const QString uvloop = sitePackages() % QStringLiteral("/uvloop/__init__.py");
    return {
        QStringLiteral("  File \"<frozen runpy>\", line 198, in _run_module_as_main"),
        QStringLiteral("  File \"<frozen runpy>\", line 88, in _run_code"),
        frame(api, 911, QStringLiteral("<module>"), QStringLiteral("uvloop.run(run_server(args))")),
        frame(uvloop, 109, QStringLiteral("run"), QStringLiteral("return __asyncio.run(")),
        frame(QStringLiteral("/usr/lib/python3.12/asyncio/runners.py"), 194, QStringLiteral("run"),
              QStringLiteral("return runner.run(main)")),
        frame(QStringLiteral("/usr/lib/python3.12/asyncio/runners.py"), 118, QStringLiteral("run"),
              QStringLiteral("return self._loop.run_until_complete(task)")),
        QStringLiteral("  File \"uvloop/loop.pyx\", line 1518, in uvloop.loop.Loop.run_until_complete"),
        frame(uvloop, 61, QStringLiteral("wrapper"), QStringLiteral("return await main")),
        frame(api, 875, QStringLiteral("run_server"),
              QStringLiteral("async with build_async_engine_client(args) as engine_client:")),
        frame(QStringLiteral("/usr/lib/python3.12/contextlib.py"), 210, QStringLiteral("__aenter__"),
              QStringLiteral("return await anext(self.gen)")),
        frame(api, 136, QStringLiteral("build_async_engine_client"),
              QStringLiteral("async with build_async_engine_client_from_engine_args(")),
        frame(QStringLiteral("/usr/lib/python3.12/contextlib.py"), 210, QStringLiteral("__aenter__"),
              QStringLiteral("return await anext(self.gen)")),
    };
}

QStringList createConfigFrames(const QString &lastFunction, const QString &lastCode)
{
    QStringList frames = apiServerFrames();
    frames << frame(vllmFile("entrypoints/openai/api_server.py"), 193,
                    QStringLiteral("build_async_engine_client_from_engine_args"),
                    QStringLiteral("engine_config = engine_args.create_engine_config()"))
           << frame(vllmFile("engine/arg_utils.py"), 1075, QStringLiteral("create_engine_config"),
                    QStringLiteral("model_config = self.create_model_config()"))
           << frame(vllmFile("engine/arg_utils.py"), 998, QStringLiteral("create_model_config"),
                    QStringLiteral("return ModelConfig("))
           << frame(vllmFile("config.py"), 566, lastFunction, lastCode);
    return frames;
}

QStringList engineInitFrames(const QString &step, const QString &workerFunction, const QString &raiseCode)
{
    QStringList frames = apiServerFrames();
    frames << frame(vllmFile("entrypoints/openai/api_server.py"), 160,
                    QStringLiteral("build_async_engine_client_from_engine_args"),
                    QStringLiteral("engine_client = AsyncLLMEngine.from_engine_args("))
           << frame(vllmFile("engine/async_llm_engine.py"), 644, QStringLiteral("from_engine_args"),
                    QStringLiteral("engine = cls("))
           << frame(vllmFile("engine/async_llm_engine.py"), 594, QStringLiteral("__init__"),
                    QStringLiteral("self.engine = self._engine_class(*args, **kwargs)"))
           << frame(vllmFile("engine/llm_engine.py"), 276, QStringLiteral("__init__"),
                    QStringLiteral("self._initialize_kv_caches()"));
    if (step == QLatin1String("load_model")) {
        frames.removeLast();
        frames << frame(vllmFile("engine/llm_engine.py"), 273, QStringLiteral("__init__"),
                        QStringLiteral("self.model_executor = executor_class(vllm_config=vllm_config, )"))
               << frame(vllmFile("executor/ray_distributed_executor.py"), 108, QStringLiteral("_init_executor"),
                        QStringLiteral("self._run_workers(\"load_model\","));
    } else {
        frames << frame(vllmFile("engine/llm_engine.py"), 434, QStringLiteral("_initialize_kv_caches"),
                        QStringLiteral("self.model_executor.initialize_cache(num_gpu_blocks, num_cpu_blocks)"))
               << frame(vllmFile("executor/executor_base.py"), 121, QStringLiteral("initialize_cache"),
                        QStringLiteral("self.collective_rpc(\"initialize_cache\","));
    }
    frames << frame(vllmFile("worker/worker.py"), 497, workerFunction, raiseCode);
    return frames;
}

QString render(const QStringList &frames, const QString &error)
{
    return QStringLiteral("Traceback (most recent call last):\n") % frames.join(QLatin1Char('\n')) % QLatin1Char('\n') %
           error;
}

QString cudaOutOfMemory(double triedGiB, int gpu, double totalGiB, double freeGiB, double inUseGiB)
{
    const auto size = [](double gib) -> QString {
        if (gib >= 1.0)
            return QString::number(gib, 'f', 2) % QStringLiteral(" GiB");
        return QString::number(gib * 1024.0, 'f', 2) % QStringLiteral(" MiB");
    };
    return QStringLiteral("torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ") % size(triedGiB) %
           QStringLiteral(". GPU ") % QString::number(gpu) % QStringLiteral(" has a total capacity of ") %
           QString::number(totalGiB, 'f', 2) % QStringLiteral(" GiB of which ") % size(freeGiB) %
           QStringLiteral(" is free. Including non-PyTorch memory, this process has ") %
           QString::number(inUseGiB, 'f', 2) % QStringLiteral(" GiB memory in use. Of the allocated memory ") %
           QString::number(inUseGiB - 0.62, 'f', 2) %
           QStringLiteral(" GiB is allocated by PyTorch, and 120.53 MiB is reserved by PyTorch but unallocated. If "
                          "reserved but unallocated memory is large try setting "
                          "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See "
                          "documentation for Memory Management  "
                          "(https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)");
}

} // namespace ApoloDeploy::Sandbox::VllmTracebacks
