package dev.caravan.pipeline;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/** Loads route templates from {@code routes/<id without 'caravan-'>.yaml} on the classpath, once per context. */
public final class RouteTemplates {
    private RouteTemplates() {
    }

    public static synchronized void ensureLoaded(CamelContext camel, String templateId) {
        ModelCamelContext model = (ModelCamelContext) camel;
        if (model.getRouteTemplateDefinition(templateId) != null) {
            return;
        }
        String file = "routes/" + templateId.replaceFirst("^caravan-", "") + ".yaml";
        try {
            Resource resource = PluginHelper.getResourceLoader(camel).resolveResource("classpath:" + file);
            PluginHelper.getRoutesLoader(camel).loadRoutes(resource);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load route template " + file + ": " + e.getMessage(), e);
        }
        if (model.getRouteTemplateDefinition(templateId) == null) {
            throw new IllegalStateException(file + " does not define route template " + templateId);
        }
    }
}
