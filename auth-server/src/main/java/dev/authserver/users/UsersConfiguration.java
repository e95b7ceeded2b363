package dev.authserver.users;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;

/**
 * Spring Data JDBC settings for our aggregates.
 */
@Configuration(proxyBeanMethods = false)
class UsersConfiguration {

	/**
	 * Spring Data JDBC quotes identifiers by default, which makes them case-sensitive: the embedded H2 stores the
	 * changelogs' unquoted names upper-case and PostgreSQL lower-case, so no single quoted spelling fits both.
	 * Unquoted, each database folds the names the way it created them. (Lower-casing H2 instead breaks
	 * Liquibase's look-up of its own DATABASECHANGELOG table on the second start.)
	 */
	@Bean
	static BeanPostProcessor unquotedIdentifiers() {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof RelationalMappingContext mappingContext) {
					mappingContext.setForceQuote(false);
				}
				return bean;
			}
		};
	}

}
