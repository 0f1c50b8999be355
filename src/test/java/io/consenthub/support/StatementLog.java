package io.consenthub.support;

import org.springframework.beans.factory.config.BeanPostProcessor;

import javax.sql.DataSource;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the statements (and commits) a thread sends through a data source while it is
 * {@link #recording}: to show (or check) what one operation really sends, not what the code seems
 * to send. A JDBC proxy around the real data source, so the store under it is the real one; as a
 * bean post-processor ({@code @Import(StatementLog.class)}) it wraps the hub's {@code dataSource}.
 */
public final class StatementLog implements BeanPostProcessor {

    private static final ThreadLocal<List<String>> recorded = new ThreadLocal<>();

    /** Runs {@code action} and returns the statements it sent, in order ("commit" for a commit). */
    public static List<String> recording(Runnable action) {
        var log = new ArrayList<String>();
        recorded.set(log);
        try {
            action.run();
        } finally {
            recorded.remove();
        }
        return log;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean instanceof DataSource ds && "dataSource".equals(beanName) ? recorded(ds) : bean;
    }

    /** The data source, with what its connections send recorded while a thread is {@link #recording}. */
    public static DataSource recorded(DataSource dataSource) {
        return proxy(DataSource.class, dataSource, (target, method, args) -> {
            Object result = method.invoke(target, args);
            return result instanceof Connection c ? connection(c) : result;
        });
    }

    private static Connection connection(Connection c) {
        return proxy(Connection.class, c, (target, method, args) -> {
            Object result = method.invoke(target, args);
            String name = method.getName();
            if (name.equals("commit") || name.equals("rollback")) {
                note(name);
            }
            if (result instanceof Statement s) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : null;
                return statement(s, sql);
            }
            return result;
        });
    }

    private static Statement statement(Statement s, String prepared) {
        Class<?> type = s instanceof java.sql.CallableStatement ? java.sql.CallableStatement.class
                : s instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
        return (Statement) proxy(type, s, (target, method, args) -> {
            String name = method.getName();
            if (name.startsWith("execute")) {
                String sql = args != null && args.length > 0 && args[0] instanceof String text ? text : prepared;
                note((name.equals("executeBatch") ? "batch: " : "") + (sql == null ? "?" : sql.replaceAll("\\s+", " ")));
            }
            return method.invoke(target, args);
        });
    }

    private static void note(String what) {
        List<String> log = recorded.get();
        if (log != null) {
            log.add(what);
        }
    }

    private interface Call {
        Object call(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Object target, Call call) {
        return (T) Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            try {
                return call.call(target, method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
