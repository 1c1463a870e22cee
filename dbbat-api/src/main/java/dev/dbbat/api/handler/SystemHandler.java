package dev.dbbat.api.handler;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiException;
import dev.dbbat.store.Store;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /health}, {@code /version}, {@code /auth/providers}. */
public final class SystemHandler {
    private final Store store;
    private final ApiConfig config;

    public SystemHandler(Store store, ApiConfig config) {
        this.store = store;
        this.config = config;
    }

    public void health(Context ctx) {
        if (!store.ping()) {
            throw new ApiException(503, "SERVICE_UNAVAILABLE", "database unhealthy");
        }
        ctx.json(Map.of("status", "healthy"));
    }

    public void version(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_version", "v1");
        body.put("build_version", config.version().buildVersion());
        body.put("build_commit", config.version().buildCommit());
        body.put("build_time", config.version().buildTime());
        body.put("run_mode", config.runMode());
        ctx.json(body);
    }

    public void providers(Context ctx) {
        List<Map<String, Object>> providers = new ArrayList<>();
        providers.add(Map.of("type", "password", "enabled", true));
        if (config.slackAuth().isPresent()) {
            Map<String, Object> slack = new LinkedHashMap<>();
            slack.put("type", "slack");
            slack.put("enabled", true);
            slack.put("authorize_url", "/api/v1/auth/slack");
            providers.add(slack);
        }
        ctx.json(Map.of("providers", providers));
    }
}
