package org.jodb;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/** Registers a database's {@link DatabaseMXBean} with the platform's JMX server and removes it again. */
final class DatabaseBeans {
    private DatabaseBeans() {
    }

    static ObjectName register(Database database, String name) {
        ObjectName objectName = nameFor(name);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            server.registerMBean(new StandardMBean(new DatabaseBean(database), DatabaseMXBean.class, true), objectName);
        } catch (InstanceAlreadyExistsException taken) {
            throw new IllegalStateException("a JMX MBean named " + objectName + " is registered already (another"
                    + " database on a storage of that name?): pass a name of your own to registerMBean(String)",
                    taken);
        } catch (JMException e) {
            throw new IllegalStateException("could not register " + objectName + " with JMX: " + e.getMessage(), e);
        }
        return objectName;
    }

    static void unregister(ObjectName objectName) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (InstanceNotFoundException gone) {
            // unregistered by someone else already: nothing left to do
        } catch (JMException e) {
            System.getLogger(DatabaseBeans.class.getName()).log(System.Logger.Level.WARNING,
                    "could not unregister " + objectName + " from JMX", e);
        }
    }

    private static ObjectName nameFor(String name) {
        try {
            return new ObjectName("org.jodb:type=Database,name=" + ObjectName.quote(name));
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not usable in a JMX name: " + name, e);
        }
    }
}
